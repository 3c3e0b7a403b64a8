package io.campanile.gateway.messaging;

import io.campanile.platform.BrokerUnavailableException;
import io.campanile.platform.KafkaConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The worker kinds' consumer groups as Kafka sees them ({@link GroupState}): members and their partitions, each topic's
 * partition count, and the lag per partition: the end offset minus the group's committed offset, or minus the earliest
 * offset where the group never committed (the workers' consumers start there). Read with the AdminClient in one round
 * of four calls and kept for {@link #MAX_AGE}, a failure too: a page refreshing every second costs Kafka one round
 * every two seconds, and an unreachable broker one timeout per two seconds instead of one per request.
 */
@ApplicationScoped
public class ConsumerGroups {
    /** How long one reading is served. */
    static final Duration MAX_AGE = Duration.ofSeconds(2);
    /** The longest one reading waits for the broker. */
    private static final long TIMEOUT_MS = 3_000;

    private final KafkaConfig kafka;
    private Admin admin;
    private List<GroupState> cached;
    private BrokerUnavailableException cachedFailure;
    private long readAtNanos;

    @Inject
    ConsumerGroups(KafkaConfig kafka) {
        this.kafka = kafka;
    }

    /**
     * Every worker kind's group ({@link WorkerKind#ALL}), then the gateway's own on job-events, at most
     * {@link #MAX_AGE} old.
     *
     * @throws BrokerUnavailableException when Kafka did not answer the last reading
     */
    public synchronized List<GroupState> read() {
        if (readAtNanos == 0 || System.nanoTime() - readAtNanos > MAX_AGE.toNanos()) {
            try {
                cached = readNow();
                cachedFailure = null;
            } catch (BrokerUnavailableException e) {
                cached = null;
                cachedFailure = e;
            }
            readAtNanos = System.nanoTime();
        }
        if (cachedFailure != null) {
            throw cachedFailure;
        }
        return cached;
    }

    private List<GroupState> readNow() {
        List<WorkerKind> kinds = new ArrayList<>(WorkerKind.ALL);
        kinds.add(WorkerKind.GATEWAY);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        try {
            Admin a = admin();
            List<String> groups = kinds.stream().map(WorkerKind::group).toList();
            List<String> topics = kinds.stream().map(WorkerKind::topic).toList();
            Map<String, KafkaFuture<ConsumerGroupDescription>> described =
                    a.describeConsumerGroups(groups).describedGroups();
            Map<String, KafkaFuture<TopicDescription>> topicInfo =
                    a.describeTopics(topics).topicNameValues();
            Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
            groups.forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec()));
            var committed = a.listConsumerGroupOffsets(specs);
            Map<String, Integer> partitions = new HashMap<>();
            for (String t : topics) {
                TopicDescription d = orNull(topicInfo.get(t), deadline, UnknownTopicOrPartitionException.class);
                partitions.put(t, d == null ? 0 : d.partitions().size());
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            partitions.forEach((t, n) -> {
                for (int p = 0; p < n; p++) {
                    latest.put(new TopicPartition(t, p), OffsetSpec.latest());
                    earliest.put(new TopicPartition(t, p), OffsetSpec.earliest());
                }
            });
            Map<TopicPartition, ListOffsetsResultInfo> ends =
                    get(a.listOffsets(latest).all(), deadline);
            Map<TopicPartition, ListOffsetsResultInfo> starts =
                    get(a.listOffsets(earliest).all(), deadline);
            List<GroupState> out = new ArrayList<>();
            for (WorkerKind k : kinds) {
                ConsumerGroupDescription d = orNull(described.get(k.group()), deadline, GroupIdNotFoundException.class);
                Map<TopicPartition, OffsetAndMetadata> offsets = orNull(
                        committed.partitionsToOffsetAndMetadata(k.group()), deadline, GroupIdNotFoundException.class);
                int n = partitions.get(k.topic());
                out.add(new GroupState(
                        k,
                        n,
                        d == null ? List.of() : members(k.topic(), d.members()),
                        lag(k.topic(), n, offsets == null ? Map.of() : offsets, ends, starts)));
            }
            return List.copyOf(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while reading the consumer groups", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new BrokerUnavailableException(
                    "could not read the consumer groups from " + kafka.bootstrapServers() + ": " + e, e);
        }
    }

    private static List<GroupState.Member> members(String topic, Collection<MemberDescription> members) {
        List<GroupState.Member> out = new ArrayList<>();
        for (MemberDescription m : members) {
            List<Integer> mine = m.assignment().topicPartitions().stream()
                    .filter(tp -> tp.topic().equals(topic))
                    .map(TopicPartition::partition)
                    .sorted()
                    .toList();
            String host = m.host().startsWith("/") ? m.host().substring(1) : m.host();
            out.add(new GroupState.Member(
                    m.consumerId(), m.clientId(), m.groupInstanceId().orElse(null), host, mine));
        }
        out.sort((x, y) -> x.clientId().compareTo(y.clientId()));
        return out;
    }

    private static Map<Integer, Long> lag(
            String topic,
            int partitions,
            Map<TopicPartition, OffsetAndMetadata> committed,
            Map<TopicPartition, ListOffsetsResultInfo> ends,
            Map<TopicPartition, ListOffsetsResultInfo> starts) {
        Map<Integer, Long> out = new TreeMap<>();
        for (int p = 0; p < partitions; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            OffsetAndMetadata c = committed.get(tp);
            long from = c != null ? c.offset() : starts.get(tp).offset();
            out.put(p, Math.max(0, ends.get(tp).offset() - from));
        }
        return out;
    }

    /** The future's value, or null when it failed with {@code absent} (a group or topic that does not exist). */
    private static <T> T orNull(KafkaFuture<T> f, long deadline, Class<? extends Throwable> absent)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            return get(f, deadline);
        } catch (ExecutionException e) {
            if (absent.isInstance(e.getCause())) {
                return null;
            }
            throw e;
        }
    }

    private static <T> T get(KafkaFuture<T> f, long deadline)
            throws ExecutionException, InterruptedException, TimeoutException {
        return f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private Admin admin() {
        if (admin == null) {
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(AdminClientConfig.CLIENT_ID_CONFIG, "gateway-consumer-groups");
            p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
            p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
            admin = Admin.create(p);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
