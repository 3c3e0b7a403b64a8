package io.campanile.gateway.messaging;

import io.campanile.contracts.JobEventMessage;

/**
 * Where {@link JobEventsConsumer} hands each job event: the service layer applies it to job state. Messaging calls
 * up through this interface, so it does not depend on the service layer that depends on it.
 */
public interface JobEventSink {
    /**
     * Applies the event in a transaction of its own; false when it changed nothing (a duplicate, a late event, an
     * unknown job).
     */
    boolean apply(JobEventMessage event);
}
