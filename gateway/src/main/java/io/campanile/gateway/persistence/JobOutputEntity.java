package io.campanile.gateway.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.UUID;

/** An output image of a job, as reported by a worker. */
@Entity
@Table(name = "job_outputs")
@IdClass(JobOutputEntity.Key.class)
public class JobOutputEntity extends PanacheEntityBase {
    @Id
    @Column(name = "job_id")
    public UUID jobId;

    @Id
    @Column(name = "image_id")
    public UUID imageId;

    public String role;
    public int ordinal;

    /** Composite key (job, image). */
    public record Key(UUID jobId, UUID imageId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
