package io.campanile.gateway.messaging;

import io.campanile.contracts.Preview;
import java.util.UUID;

/**
 * Where {@link LiveEventsConsumer} hands what every replica must see live: the API's event hub. Messaging calls up
 * through this interface, so it does not depend on the layers above it.
 */
public interface LiveEventSink {
    /** Job {@code jobId} changed; its row is now at {@code version} or later. */
    void jobChanged(UUID jobId, long version);

    /** A worker's live preview of a running job (never stored). */
    void preview(UUID jobId, Preview preview);
}
