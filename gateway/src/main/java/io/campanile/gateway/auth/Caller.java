package io.campanile.gateway.auth;

/**
 * Who sent a request: the tenant of its API key, the key's name, and whether the key is an admin key (an admin sees
 * and may act on every tenant's jobs).
 *
 * @param tenant the tenant every job, output, file and idempotency key of the request belongs to
 * @param keyName the API key's name, for logs and audit
 * @param admin whether the key may act on every tenant and manage keys
 */
public record Caller(String tenant, String keyName, boolean admin) {
    /** The tenant of jobs made before API keys existed. */
    public static final String DEFAULT_TENANT = "default";

    /** Whether this caller may see a job of {@code jobTenant}: its own tenant's, or any as an admin. */
    public boolean sees(String jobTenant) {
        return admin || tenant.equals(jobTenant);
    }
}
