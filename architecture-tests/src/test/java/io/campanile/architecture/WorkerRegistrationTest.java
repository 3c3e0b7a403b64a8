package io.campanile.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.contracts.JobType;
import io.campanile.contracts.Topics;
import io.campanile.platform.Operation;
import io.campanile.platform.Operations;
import io.campanile.stage1.messaging.Stage1Consumer;
import io.campanile.stage2.messaging.Stage2Consumer;
import io.campanile.trainer.config.TrainerConfig;
import io.campanile.trainer.messaging.TrainingConsumer;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every job type is run by the worker that consumes its topic: the operations each worker's consumer registers,
 * checked the way the worker checks them at start ({@link Operations#forTopic}). A job type added without its
 * operation fails here, not as a dead letter at run time.
 */
class WorkerRegistrationTest {
    private static final TrainerConfig TRAINER = new TrainerConfig() {
        @Override
        public String mnistDir() {
            return "../shared/data/mnist";
        }

        @Override
        public Optional<String> mnistUrl() {
            return Optional.empty();
        }

        @Override
        public Optional<String> packsDir() {
            return Optional.empty();
        }
    };

    /** The operations of each worker, by the topic it consumes. */
    private static Map<String, List<Operation<?>>> workers() {
        return Map.of(
                Topics.STAGE1_REQUESTS,
                Stage1Consumer.operations(null),
                Topics.STAGE2_REQUESTS,
                Stage2Consumer.operations(null),
                Topics.TRAINING_REQUESTS,
                TrainingConsumer.operations(TRAINER));
    }

    @Test
    void everyJobTypeHasAnOperationInTheWorkerOfItsTopic() {
        Set<JobType> run = EnumSet.noneOf(JobType.class);
        workers()
                .forEach((topic, ops) ->
                        run.addAll(Operations.forTopic(topic, ops).types()));
        assertEquals(EnumSet.allOf(JobType.class), run);
        Arrays.stream(JobType.values()).forEach(t -> assertTrue(workers().containsKey(t.firstTopic()), t.name()));
    }

    @Test
    void aWorkerMissingAnOperationDoesNotStart() {
        List<Operation<?>> stage1 = Stage1Consumer.operations(null);
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> Operations.forTopic(Topics.STAGE1_REQUESTS, stage1.subList(1, stage1.size())));
        assertTrue(e.getMessage().contains("forward"), e.getMessage());
    }
}
