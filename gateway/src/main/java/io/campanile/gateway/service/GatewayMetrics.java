package io.campanile.gateway.service;

import io.campanile.contracts.JobStatus;
import io.campanile.contracts.JobType;
import io.campanile.gateway.messaging.ConsumerGroups;
import io.campanile.gateway.messaging.GroupState;
import io.campanile.gateway.messaging.WorkerKind;
import io.campanile.gateway.persistence.JobStatsRepository;
import io.campanile.gateway.persistence.JobStatsRepository.StatusTypeCount;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The gateway's meters, in Prometheus form at {@code /q/metrics}: {@code campanile_jobs{status,type}} (jobs in the
 * table, every status and type, 0 included), {@code campanile_consumer_lag{topic,group}} (records the worker groups
 * and the gateway's job-events group have not committed; NaN while Kafka does not answer), both refreshed every
 * {@code campanile.gateway.metrics-interval} by one grouped query and one reading of the groups, not per scrape; and
 * {@code campanile_job_queue_wait_seconds{type}}, a job's wait from its creation to its first start by a worker.
 */
@ApplicationScoped
@Startup // the meters are registered at start, before the first event or refresh
public class GatewayMetrics {
    private static final Logger LOG = Logger.getLogger(GatewayMetrics.class);

    private final MeterRegistry registry;
    private final JobStatsRepository stats;
    private final ConsumerGroups groups;
    private final MultiGauge jobs;
    private final Map<WorkerKind, AtomicLong> lag = new LinkedHashMap<>();

    @Inject
    GatewayMetrics(MeterRegistry registry, JobStatsRepository stats, ConsumerGroups groups) {
        this.registry = registry;
        this.stats = stats;
        this.groups = groups;
        this.jobs = MultiGauge.builder("campanile.jobs")
                .description("Jobs in the jobs table by status and type")
                .register(registry);
        List<WorkerKind> kinds = new ArrayList<>(WorkerKind.ALL);
        kinds.add(WorkerKind.GATEWAY);
        for (WorkerKind k : kinds) {
            AtomicLong value = new AtomicLong(Double.doubleToLongBits(Double.NaN)); // the bits of a double
            lag.put(k, value);
            Gauge.builder("campanile.consumer.lag", value, v -> Double.longBitsToDouble(v.get()))
                    .description("Records of the topic the consumer group has not committed")
                    .tags("topic", k.topic(), "group", k.group())
                    .register(registry);
        }
    }

    @Scheduled(
            every = "${campanile.gateway.metrics-interval:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        refreshJobs();
        refreshLag();
    }

    /** A job left its first queue: {@code wait} from its creation to the first start by a worker. */
    public void queueWait(String type, Duration wait) {
        Timer.builder("campanile.job.queue.wait")
                .description("A job's wait from its creation to its first start by a worker")
                .tag("type", type)
                .serviceLevelObjectives(
                        Duration.ofMillis(100),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(15),
                        Duration.ofSeconds(60),
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(15),
                        Duration.ofHours(1))
                .register(registry)
                .record(wait.isNegative() ? Duration.ZERO : wait);
    }

    private void refreshJobs() {
        List<StatusTypeCount> counts;
        try {
            counts = QuarkusTransaction.requiringNew().call(stats::countByStatusAndType);
        } catch (RuntimeException e) {
            LOG.debugf("campanile_jobs not refreshed: %s", e.toString());
            return;
        }
        Map<Tags, Long> rows = new LinkedHashMap<>();
        for (JobStatus s : JobStatus.values()) {
            for (JobType t : JobType.values()) {
                rows.put(Tags.of("status", s.name(), "type", t.wireName()), 0L);
            }
        }
        counts.forEach(c -> rows.put(Tags.of("status", c.status(), "type", c.type()), c.count()));
        jobs.register(
                rows.entrySet().stream()
                        .map(e -> MultiGauge.Row.of(e.getKey(), e.getValue()))
                        .toList(),
                true);
    }

    private void refreshLag() {
        try {
            for (GroupState g : groups.read()) {
                AtomicLong value = lag.get(g.kind());
                if (value != null) {
                    value.set(Double.doubleToLongBits(g.lag()));
                }
            }
        } catch (RuntimeException e) {
            lag.values().forEach(v -> v.set(Double.doubleToLongBits(Double.NaN)));
            LOG.debugf("campanile_consumer_lag unknown: %s", e.toString());
        }
    }
}
