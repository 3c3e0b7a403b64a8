package io.campanile.platform;

import io.smallrye.config.ConfigMapping;

/** Who this service is to the other services ({@code campanile.service.*}). */
@ConfigMapping(prefix = "campanile.service")
public interface ServiceConfig {
    /**
     * This service's token for storage's internal API, {@code <service>.<base64url(HMAC-SHA256(secret, service))>}
     * (contracts' {@code ServiceCredentials}; docs/adr/0017), sent as {@code Authorization: Bearer}. From a Secret
     * (compose, Kubernetes) or the local stack; no default outside the dev and test profiles, so a service started
     * without it fails at start naming this key (env {@code CAMPANILE_SERVICE_TOKEN}) rather than meeting 401s later.
     */
    String token();
}
