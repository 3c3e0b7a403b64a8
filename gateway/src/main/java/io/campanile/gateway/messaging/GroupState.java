package io.campanile.gateway.messaging;

import java.util.List;
import java.util.Map;

/**
 * A consumer group on its topic, read from Kafka.
 *
 * @param kind the worker kind (topic and group)
 * @param partitions the topic's partition count (0 when the topic does not exist yet)
 * @param members the group's members (replicas), each with the partitions assigned to it
 * @param lagByPartition records not yet committed by the group, per partition, for every partition of the topic
 */
public record GroupState(WorkerKind kind, int partitions, List<Member> members, Map<Integer, Long> lagByPartition) {
    /**
     * One member of a group.
     *
     * @param id the member id the broker gave it
     * @param clientId its client id (the worker's instance name and group)
     * @param instance its static membership name ({@code campanile.worker.instance-id}), or null when it has none
     * @param host the address it connected from
     * @param partitions the partitions of the topic assigned to it, ascending
     */
    public record Member(String id, String clientId, String instance, String host, List<Integer> partitions) {}

    /** Records not yet committed on the whole topic. */
    public long lag() {
        return lagByPartition.values().stream().mapToLong(Long::longValue).sum();
    }
}
