package io.campanile.gateway.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An API key row: its name, tenant and admin flag, and the SHA-256 of its secret (never the secret itself). */
@Entity
@Table(name = "api_keys")
public class ApiKeyEntity extends PanacheEntityBase {
    @Id
    public UUID id;

    public String name;
    public String tenant;
    public boolean admin;

    /** Lower-case hex SHA-256 of the key as the client sends it. */
    @Column(name = "key_hash")
    public String keyHash;

    @Column(name = "created_at")
    public Instant createdAt;

    /** When the key was revoked; a revoked key no longer authenticates. Null while it is valid. */
    @Column(name = "revoked_at")
    public Instant revokedAt;
}
