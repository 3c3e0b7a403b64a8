package io.campanile.contracts.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The train-job memory estimate: the course's settings fit the default budget, oversized jobs name their field. */
class TrainingMemoryTest {
    private static final long BUDGET = 4096L << 20;

    private static TrainRequest train(Architecture a, Integer batch, Integer d) {
        return new TrainRequest(a, null, batch, null, d, null, null, null, null, null, null, null);
    }

    @Test
    void theCourseSettingsFitTheDefaultBudget() {
        for (Architecture a : Architecture.values()) {
            TrainingMemory.check(TrainRequest.course(a), BUDGET);
            for (int d : List.of(16, 32, 64, 128)) {
                for (int batch : List.of(128, 256)) {
                    TrainingMemory.check(train(a, batch, d), BUDGET);
                }
            }
        }
        long ddpm = TrainingMemory.bytes(TrainRequest.course(Architecture.CLASS_CONDITIONED));
        assertTrue(ddpm > 1000L << 20 && ddpm < 1200L << 20, "class-conditioned D 64, B 128: " + (ddpm >> 20));
    }

    @Test
    void aBatchTooLargeNamesBatchSizeAndWhatFits() {
        InvalidFieldException e = assertThrows(
                InvalidFieldException.class,
                () -> TrainingMemory.check(train(Architecture.DENOISER, 4096, 256), BUDGET));
        assertEquals("batch_size", e.field());
        int fits = Integer.parseInt(e.getMessage().replaceAll(".*\\(batch_size (\\d+) fits\\)$", "$1"));
        assertTrue(TrainingMemory.bytes(Architecture.DENOISER, 256, fits) <= BUDGET, e.getMessage());
        assertTrue(TrainingMemory.bytes(Architecture.DENOISER, 256, fits + 1) > BUDGET, e.getMessage());
    }

    @Test
    void aWidthNoBatchFitsNamesHiddenDim() {
        InvalidFieldException e = assertThrows(
                InvalidFieldException.class,
                () -> TrainingMemory.check(train(Architecture.CLASS_CONDITIONED, 1, 512), BUDGET));
        assertEquals("hidden_dim", e.field());
        assertTrue(e.getMessage().startsWith("'hidden_dim' is too large: class_conditioned at hidden_dim 512"));
    }

    @Test
    void theEstimateGrowsWithBatchAndWidth() {
        long base = TrainingMemory.bytes(Architecture.TIME_CONDITIONED, 64, 128);
        assertTrue(TrainingMemory.bytes(Architecture.TIME_CONDITIONED, 64, 256) > base);
        assertTrue(TrainingMemory.bytes(Architecture.TIME_CONDITIONED, 128, 128) > base);
        assertEquals(2_021_889, TrainingMemory.parameters(Architecture.CLASS_CONDITIONED, 64));
    }

    @Test
    void bf16CountsItsCopiesAndTheRequestCarriesIt() {
        long fp32 = TrainingMemory.bytes(Architecture.CLASS_CONDITIONED, 64, 128);
        long bf16 = TrainingMemory.bytes(Architecture.CLASS_CONDITIONED, 64, 128, Precision.BF16);
        assertEquals((128 * 1_750L + 80 * 1_000L) * 64 * Float.BYTES, bf16 - fp32);
        TrainRequest r = new TrainRequest(
                Architecture.CLASS_CONDITIONED,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                Precision.BF16);
        assertEquals(bf16, TrainingMemory.bytes(r));
        assertEquals(
                Precision.FP32,
                train(Architecture.DENOISER, 8, 8).withDefaults().precision());
    }
}
