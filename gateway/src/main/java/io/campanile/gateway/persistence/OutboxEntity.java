package io.campanile.gateway.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A message waiting to be published; written in the same transaction as the change it announces. */
@Entity
@Table(name = "outbox")
public class OutboxEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String topic;

    @Column(name = "msg_key")
    public String key;

    public String payload;

    @Column(name = "created_at")
    public Instant createdAt;

    public static OutboxEntity of(String topic, String key, String payload) {
        OutboxEntity e = new OutboxEntity();
        e.topic = topic;
        e.key = key;
        e.payload = payload;
        e.createdAt = Instant.now();
        return e;
    }
}
