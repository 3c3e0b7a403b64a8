package io.campanile.onnx.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.tensor.Tensor;
import io.campanile.onnx.OnnxOptions;
import io.campanile.onnx.StepBatching;
import io.campanile.packs.ModelPack;
import io.campanile.testpacks.TestPacks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuous batching: the steps of concurrent jobs on one pack run as merged calls, and every job gets the rows it
 * would get alone (to the bit where the graph's arithmetic does not depend on the batch), on every kind of pack (T5-conditioned, an upscaler, a shared-encoder class graph with
 * guidance rows, unconditional).
 */
class StepBatchingTest {
    private static final OnnxOptions CPU = OnnxOptions.defaults();
    private static final StepBatching MERGE = new StepBatching(32, 1024, Duration.ofMillis(500));
    private static final int JOBS = 4;
    private static final int STEPS = 3;
    private static ExecutorService jobs;

    @TempDir
    static Path root;

    @BeforeAll
    static void install() {
        TestPacks.installAll(root);
        jobs = Executors.newFixedThreadPool(JOBS, r -> new Thread(null, r, "job", 16L << 20));
    }

    @AfterAll
    static void stop() {
        jobs.shutdownNow();
    }

    @Test
    void textConditionedStepsMergeAndEveryJobGetsItsOwnRows() throws Exception {
        sameAsAlone(TestPacks.stage1(root), 1e-6f, (job, step) -> {
            Random r = new Random(job * 100L + step);
            int b = 1 + job % 2; // jobs of 1 and 2 images
            return UnetInput.text(uniform(r, b, 3, 64, 64), timesteps(r, b), gaussian(r, b, 77, 4096));
        });
    }

    @Test
    void upscalerStepsMerge() throws Exception {
        sameAsAlone(TestPacks.stage2(root), 1e-6f, (job, step) -> {
            Random r = new Random(job * 100L + step);
            return UnetInput.upscale(
                    uniform(r, 1, 6, 256, 256), timesteps(r, 1), gaussian(r, 1, 77, 4096), new long[] {250});
        });
    }

    @Test
    void guidedClassStepsShareTheirSamplesInsideTheMergedCall() throws Exception {
        sameAsAlone(TestPacks.mnistClass(root), 0f, (job, step) -> {
            Random r = new Random(job * 100L + step);
            int n = 1 + job; // 1 to 4 images, each with its conditional and unconditional row
            long[] index = new long[2 * n];
            Tensor cv = Tensor.zeros(2 * n, 10);
            for (int i = 0; i < n; i++) {
                index[i] = i;
                index[n + i] = i;
                cv.data()[i * 10 + r.nextInt(10)] = 1f;
            }
            return UnetInput.classes(uniform(r, n, 1, 28, 28), timesteps(r, 2 * n), cv)
                    .sharing(index);
        });
    }

    @Test
    void theRowBoundSplitsTheCallsAndANonFiniteJobFailsAlone() throws Exception {
        ModelPack pack = TestPacks.unconditional(root);
        try (UnetModel batched = UnetModel.load(pack, CPU, new StepBatching(2, 1024, Duration.ofMillis(500)));
                UnetModel alone = UnetModel.load(pack, CPU)) {
            CyclicBarrier together = new CyclicBarrier(JOBS);
            List<Future<List<Object>>> results = new ArrayList<>();
            for (int j = 0; j < JOBS; j++) {
                int job = j;
                results.add(jobs.submit(() -> {
                    List<Object> got = new ArrayList<>();
                    for (int step = 0; step < STEPS; step++) {
                        together.await(30, TimeUnit.SECONDS);
                        try {
                            got.add(batched.run(UnetInput.unconditional(input(job, step), new long[] {500 + job})));
                        } catch (NonFiniteOutputException e) {
                            got.add(e);
                        }
                    }
                    return got;
                }));
            }
            for (int j = 0; j < JOBS; j++) {
                List<Object> got = results.get(j).get(60, TimeUnit.SECONDS);
                for (int step = 0; step < STEPS; step++) {
                    if (j == 2) {
                        assertInstanceOf(NonFiniteOutputException.class, got.get(step));
                        assertTrue(((Exception) got.get(step)).getMessage().contains("at timestep 502"));
                    } else {
                        Tensor want = alone.run(UnetInput.unconditional(input(j, step), new long[] {500 + j}));
                        assertArrayEquals(want.data(), ((Tensor) got.get(step)).data(), 0f, "job " + j);
                    }
                }
            }
            long[] merged = batched.mergedCounts();
            assertTrue(merged[0] >= 1, "four jobs of one row under a bound of 2 rows: calls of 2 were merged");
            assertEquals(2 * merged[0], merged[1], "every merged call held 2 rows, the bound");
        }
    }

    /** Job 2's image holds a NaN. */
    private static Tensor input(int job, int step) {
        Tensor x = uniform(new Random(job * 100L + step), 1, 3, 32, 32);
        if (job == 2) {
            x.data()[5] = Float.NaN;
        }
        return x;
    }

    /**
     * {@link #JOBS} jobs run {@link #STEPS} steps each at the same time on a merging model, and the same calls on
     * a model that never merges; each job's outputs must be the same within {@code tolerance}. Convolutions run
     * image by image and give the same bits in any batch; the matrix products over T5 states are blocked by the
     * number of rows, so their sums round differently in the last bit (about 1e-7 here).
     */
    private static void sameAsAlone(ModelPack pack, float tolerance, StepInput inputs) throws Exception {
        try (UnetModel batched = UnetModel.load(pack, CPU, MERGE);
                UnetModel alone = UnetModel.load(pack, CPU)) {
            CyclicBarrier together = new CyclicBarrier(JOBS);
            List<Future<List<Tensor>>> outputs = new ArrayList<>();
            for (int j = 0; j < JOBS; j++) {
                int job = j;
                outputs.add(jobs.submit(() -> {
                    List<Tensor> got = new ArrayList<>();
                    for (int step = 0; step < STEPS; step++) {
                        together.await(30, TimeUnit.SECONDS);
                        got.add(batched.run(inputs.of(job, step)));
                    }
                    return got;
                }));
            }
            for (int j = 0; j < JOBS; j++) {
                List<Tensor> got = outputs.get(j).get(120, TimeUnit.SECONDS);
                for (int step = 0; step < STEPS; step++) {
                    Tensor want = alone.run(inputs.of(j, step));
                    assertArrayEquals(want.shape(), got.get(step).shape());
                    assertArrayEquals(want.data(), got.get(step).data(), tolerance, "job " + j + ", step " + step);
                }
            }
            long[] merged = batched.mergedCounts();
            assertTrue(merged[0] >= 1, "no call was merged");
            assertTrue(batched.runs() < JOBS * STEPS, "merged: " + batched.runs() + " calls for " + JOBS * STEPS);
        }
    }

    private interface StepInput {
        UnetInput of(int job, int step);
    }

    private static Tensor uniform(Random r, int... shape) {
        return filled(shape, i -> r.nextFloat() * 2 - 1);
    }

    private static Tensor gaussian(Random r, int... shape) {
        return filled(shape, i -> (float) r.nextGaussian());
    }

    private static Tensor filled(int[] shape, IntFunction<Float> value) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = value.apply(i);
        }
        return t;
    }

    private static long[] timesteps(Random r, int n) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(1000);
        }
        return t;
    }
}
