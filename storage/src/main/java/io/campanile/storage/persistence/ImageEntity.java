package io.campanile.storage.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** An output image: metadata plus the addresses of its PNG and tensor blobs. */
@Entity
@Table(name = "images")
public class ImageEntity extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(name = "job_id")
    public UUID jobId;

    public String role;
    public int ordinal;

    @Column(name = "png_sha256")
    public String pngSha256;

    @Column(name = "tensor_sha256")
    public String tensorSha256;
    /** Comma-separated dimensions, e.g. "3,64,64". */
    public String shape;

    public String dtype;

    @Column(name = "value_range")
    public String valueRange;

    @Column(name = "created_at")
    public Instant createdAt;

    public static Optional<ImageEntity> findByJobAndRole(UUID jobId, String role) {
        return find("jobId = ?1 and role = ?2", jobId, role).firstResultOptional();
    }

    public static List<ImageEntity> listByJob(UUID jobId) {
        return list("jobId = ?1 order by ordinal, createdAt", jobId);
    }
}
