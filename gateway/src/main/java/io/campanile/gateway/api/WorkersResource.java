package io.campanile.gateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.campanile.gateway.messaging.GroupState;
import io.campanile.gateway.service.WorkersOverview;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The workers as a platform team watches them while it scales: per worker kind, its replicas (consumer-group members)
 * with their partitions, the lag of its topic, and its jobs. Kafka is read at most every two seconds; while it does
 * not answer, 503.
 */
@Path("/v1/workers")
@Produces(MediaType.APPLICATION_JSON)
public class WorkersResource {
    private final WorkersOverview overview;

    @Inject
    WorkersResource(WorkersOverview overview) {
        this.overview = overview;
    }

    /**
     * One worker kind.
     *
     * @param kind text-encoder, stage1-worker, stage2-worker or trainer
     * @param topic the request topic it consumes
     * @param group its consumer group
     * @param replicas members of the group
     * @param members each member with the partitions assigned to it
     * @param partitions partitions of the topic: the most replicas that share the load
     * @param lag records of the topic not yet committed by the group (queued, or running now)
     * @param lagByPartition the lag per partition, by partition number
     * @param runningJobs RUNNING jobs last started by one of its replicas
     * @param succeededLast5Min jobs it finished as SUCCEEDED in the last 5 minutes
     * @param failedLast5Min jobs that FAILED in the last 5 minutes while one of its replicas held them
     */
    public record WorkerView(
            String kind,
            String topic,
            String group,
            int replicas,
            List<MemberView> members,
            int partitions,
            long lag,
            Map<String, Long> lagByPartition,
            long runningJobs,
            @JsonProperty("succeeded_last_5_min") long succeededLast5Min,
            @JsonProperty("failed_last_5_min") long failedLast5Min) {
        static WorkerView of(WorkersOverview.KindState k) {
            GroupState g = k.group();
            Map<String, Long> lag = new LinkedHashMap<>();
            g.lagByPartition().forEach((p, n) -> lag.put(String.valueOf(p), n));
            return new WorkerView(
                    g.kind().kind(),
                    g.kind().topic(),
                    g.kind().group(),
                    g.members().size(),
                    g.members().stream().map(MemberView::of).toList(),
                    g.partitions(),
                    g.lag(),
                    lag,
                    k.runningJobs(),
                    k.succeededRecently(),
                    k.failedRecently());
        }
    }

    /**
     * One replica.
     *
     * @param id its member id in the group
     * @param clientId its Kafka client id (instance name and group)
     * @param instance its static membership name ({@code campanile.worker.instance-id}), or null
     * @param host the address it connected from
     * @param partitions the partitions assigned to it
     */
    public record MemberView(String id, String clientId, String instance, String host, List<Integer> partitions) {
        static MemberView of(GroupState.Member m) {
            return new MemberView(m.id(), m.clientId(), m.instance(), m.host(), m.partitions());
        }
    }

    @GET
    @Operation(
            summary = "Worker kinds with their replicas, partitions, lag and jobs",
            description =
                    "One entry per worker kind (text-encoder, stage1-worker, stage2-worker, trainer): its consumer"
                            + " group's members and their partitions, the lag of its topic per partition (read from Kafka at"
                            + " most every 2 s), its running jobs and its jobs succeeded and failed in the last 5 minutes."
                            + " 503 while Kafka does not answer.")
    public List<WorkerView> list() {
        return overview.workers().stream().map(WorkerView::of).toList();
    }
}
