package io.campanile.gateway.messaging;

import java.util.UUID;

/**
 * On {@code job-updates}, from the gateway to all its replicas: job {@code jobId} changed and is now at
 * {@code version}. Written to the outbox by the transaction that made the change, so it is published after the commit
 * (a replica that reads the job then sees that version or a later one) and never for a change that rolled back.
 */
public record JobUpdateMessage(UUID jobId, long version) {}
