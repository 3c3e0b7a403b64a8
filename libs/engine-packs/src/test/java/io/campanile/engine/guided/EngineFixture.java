package io.campanile.engine.guided;

import io.campanile.diffusion.schedule.DdpmScheduler;
import io.campanile.diffusion.schedule.SchedulerSpec;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.LoopContext;
import io.campanile.engine.packs.ConditioningSource;
import io.campanile.engine.packs.LoadedPack;
import io.campanile.onnx.OnnxOptions;
import io.campanile.onnx.StepBatching;
import io.campanile.onnx.inference.UnetModel;
import io.campanile.packs.ModelPack;
import io.campanile.testpacks.TestFunctions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A stage-I-shaped test pack loaded in ONNX Runtime, with a table of prompt embeddings the tests control. */
final class EngineFixture implements AutoCloseable {
    final LoadedPack pack;
    final Map<String, Float> level = new HashMap<>();

    /** @param thresholding whether the scheduler thresholds x0_hat (the pack says yes; the course loop does not) */
    EngineFixture(ModelPack modelPack, boolean thresholding) {
        this(modelPack, thresholding, StepBatching.off());
    }

    /** @param batching how the pack merges the steps of concurrent loops */
    EngineFixture(ModelPack modelPack, boolean thresholding, StepBatching batching) {
        DdpmScheduler manifest = LoadedPack.schedulerOf(modelPack.manifest());
        SchedulerSpec s = manifest.spec();
        DdpmScheduler scheduler = new DdpmScheduler(new SchedulerSpec(
                s.betaSchedule(),
                s.numTrainTimesteps(),
                s.betaStart(),
                s.betaEnd(),
                s.varianceType(),
                thresholding,
                s.dynamicThresholdingRatio(),
                s.sampleMaxValue()));
        pack = new LoadedPack(modelPack, scheduler, UnetModel.load(modelPack, OnnxOptions.defaults(), batching));
        level.put("", 0.0f);
        level.put("a", 0.3f);
        level.put("b", -0.2f);
    }

    /** Prompt p's T5 states: every token's channel c holds level(p) + 0.05 c (so the pack's mean is exactly that). */
    Tensor embedding(String prompt) {
        float[] d = new float[TestFunctions.T5_TOKENS * TestFunctions.T5_WIDTH];
        for (int k = 0; k < TestFunctions.T5_TOKENS; k++) {
            for (int c = 0; c < TestFunctions.T5_WIDTH; c++) {
                d[k * TestFunctions.T5_WIDTH + c] = level.get(prompt) + 0.05f * (c % 7);
            }
        }
        return new Tensor(new int[] {1, TestFunctions.T5_TOKENS, TestFunctions.T5_WIDTH}, d);
    }

    ConditioningSource conditioning() {
        return new ConditioningSource() {
            @Override
            public boolean conditional() {
                return true;
            }

            @Override
            public Tensor rows(List<String> prompts) {
                int row = TestFunctions.T5_TOKENS * TestFunctions.T5_WIDTH;
                float[] d = new float[prompts.size() * row];
                for (int i = 0; i < prompts.size(); i++) {
                    System.arraycopy(embedding(prompts.get(i)).data(), 0, d, i * row, row);
                }
                return new Tensor(new int[] {prompts.size(), TestFunctions.T5_TOKENS, TestFunctions.T5_WIDTH}, d);
            }
        };
    }

    /** The reference UNet output for one image [3, 64, 64] at t with a prompt: [6, 64, 64]. */
    Tensor reference(Tensor image, int t, String prompt) {
        Tensor out = TestFunctions.stage1(image.reshape(1, 3, 64, 64), new long[] {t}, embedding(prompt));
        return out.reshape(6, 64, 64);
    }

    static LoopContext loop(long seed) {
        return new LoopContext() {
            @Override
            public long seed() {
                return seed;
            }

            @Override
            public void checkCancelled() {}

            @Override
            public void progress(String stage, int step, int total) {}
        };
    }

    static Tensor random(long seed, int... shape) {
        Random r = new Random(seed);
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) (r.nextGaussian() * 0.5);
        }
        return t;
    }

    @Override
    public void close() {
        pack.unet().close();
    }
}
