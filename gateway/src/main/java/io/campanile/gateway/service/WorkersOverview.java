package io.campanile.gateway.service;

import io.campanile.gateway.messaging.ConsumerGroups;
import io.campanile.gateway.messaging.GroupState;
import io.campanile.gateway.messaging.WorkerKind;
import io.campanile.gateway.persistence.JobStatsRepository;
import io.campanile.gateway.persistence.JobStatsRepository.WorkerStatusCount;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The Workers page: per worker kind, its consumer group as Kafka sees it ({@link ConsumerGroups}) beside its jobs as
 * the jobs table sees them: running now, and succeeded or failed in the last {@link #RECENT}. A job belongs to the
 * kind of the worker that last started it ({@code jobs.worker}): a member of the kind's group, or a name that starts
 * with the kind (the default instance name is {@code <group>@<host>#<pid>}, pods are named after their Deployment).
 * A job handed on to stage II counts there once stage II started it.
 */
@ApplicationScoped
public class WorkersOverview {
    /** The window of the throughput counts. */
    public static final Duration RECENT = Duration.ofMinutes(5);

    /**
     * One worker kind.
     *
     * @param group its consumer group on its topic, with members, partitions and lag
     * @param runningJobs its RUNNING jobs
     * @param succeededRecently jobs it finished as SUCCEEDED within {@link #RECENT}
     * @param failedRecently jobs that FAILED within {@link #RECENT} while it held them
     */
    public record KindState(GroupState group, long runningJobs, long succeededRecently, long failedRecently) {}

    private final ConsumerGroups groups;
    private final JobStatsRepository stats;

    @Inject
    WorkersOverview(ConsumerGroups groups, JobStatsRepository stats) {
        this.groups = groups;
        this.stats = stats;
    }

    /**
     * Every worker kind, in {@link WorkerKind#ALL}'s order.
     *
     * @throws io.campanile.platform.BrokerUnavailableException when Kafka does not answer
     */
    @Transactional
    public List<KindState> workers() {
        List<GroupState> states = groups.read();
        List<WorkerStatusCount> counts = stats.countByWorker(Instant.now().minus(RECENT));
        List<KindState> out = new ArrayList<>();
        for (WorkerKind kind : WorkerKind.ALL) {
            GroupState g = states.stream()
                    .filter(s -> s.kind().equals(kind))
                    .findFirst()
                    .orElseThrow();
            long running = 0;
            long succeeded = 0;
            long failed = 0;
            for (WorkerStatusCount c : counts) {
                if (!belongsTo(c.worker(), g)) {
                    continue;
                }
                switch (c.status()) {
                    case "RUNNING" -> running += c.count();
                    case "SUCCEEDED" -> succeeded += c.count();
                    case "FAILED" -> failed += c.count();
                    default -> {}
                }
            }
            out.add(new KindState(g, running, succeeded, failed));
        }
        return out;
    }

    /** Whether a job's worker (an instance name) is one of this kind's. */
    static boolean belongsTo(String worker, GroupState g) {
        if (worker.startsWith(g.kind().kind()) || worker.startsWith(g.kind().group() + "@")) {
            return true;
        }
        return g.members().stream()
                .anyMatch(m -> worker.equals(m.instance())
                        || m.clientId() != null
                                && m.clientId()
                                        .startsWith(worker + "-" + g.kind().group()));
    }
}
