package io.campanile.platform;

import io.campanile.contracts.JobRequestMessage;
import io.campanile.contracts.JobType;
import io.campanile.contracts.jobs.JobRequest;
import io.campanile.contracts.jobs.JobRequests;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operations of a worker, by job type. Built for the request topic the worker consumes, it refuses to exist
 * unless every job type sent to that topic ({@link JobType#firstTopic()}) has an operation, so a type that a worker
 * forgets to register fails the worker's start and its tests, not a job at run time.
 */
public final class Operations {
    private final String topic;
    private final Map<JobType, Operation<?>> byType = new EnumMap<>(JobType.class);

    private Operations(String topic, List<Operation<?>> operations) {
        this.topic = topic;
        for (Operation<?> op : operations) {
            JobType type = JobRequests.typeOf(op.requestType());
            if (byType.put(type, op) != null) {
                throw new IllegalArgumentException("two operations for job type " + type.wireName());
            }
        }
    }

    /**
     * The operations of the worker that consumes {@code topic}.
     *
     * @throws IllegalStateException naming every job type of the topic without an operation
     */
    public static Operations forTopic(String topic, List<Operation<?>> operations) {
        Operations ops = new Operations(topic, operations);
        List<String> missing = Arrays.stream(JobType.values())
                .filter(t -> t.firstTopic().equals(topic))
                .filter(t -> !ops.byType.containsKey(t))
                .map(JobType::wireName)
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the worker of " + topic + " has no operation for job type(s) " + missing);
        }
        return ops;
    }

    /** Operations without the completeness check (tests that run one type). */
    static Operations of(List<Operation<?>> operations) {
        return new Operations("test", operations);
    }

    /** The job types this worker runs. */
    public List<JobType> types() {
        return List.copyOf(byType.keySet());
    }

    /** The operation of a job's type, if this worker runs it. */
    Optional<Operation<?>> find(String wireName) {
        return JobType.fromWire(wireName).map(byType::get);
    }

    /** Runs a job: reads its typed request (an IllegalArgumentException when its fields do not fit) and its operation. */
    void run(Operation<?> op, JobRequestMessage message, JobContext job) {
        JobType type = JobRequests.typeOf(op.requestType());
        runTyped(op, JobRequests.read(type, message.params(), message.inputs()), job);
    }

    private static <R extends JobRequest> void runTyped(Operation<R> op, JobRequest request, JobContext job) {
        op.run(op.requestType().cast(request), job);
    }

    @Override
    public String toString() {
        return topic + " " + byType.keySet();
    }
}
