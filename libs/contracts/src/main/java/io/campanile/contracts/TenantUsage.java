package io.campanile.contracts;

/**
 * Storage's answer to {@code GET /internal/usage/{tenant}}.
 *
 * @param tenant the tenant asked about
 * @param bytes bytes of the distinct blobs its jobs hold: inputs, output PNGs and tensors, job files
 */
public record TenantUsage(String tenant, long bytes) {}
