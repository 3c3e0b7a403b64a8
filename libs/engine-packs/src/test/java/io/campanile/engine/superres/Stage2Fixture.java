package io.campanile.engine.superres;

import io.campanile.contracts.jobs.Sampler;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.LoopContext;
import io.campanile.engine.packs.ConditioningSource;
import io.campanile.engine.packs.LoadedPack;
import io.campanile.onnx.OnnxOptions;
import io.campanile.onnx.inference.UnetModel;
import io.campanile.packs.ModelPack;
import io.campanile.platform.JobCancelledException;
import io.campanile.testpacks.TestFunctions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The IF-stage-II-shaped test pack loaded in ONNX Runtime, with a table of prompt embeddings the tests control. */
final class Stage2Fixture implements AutoCloseable {
    final LoadedPack pack;
    final Map<String, Float> level = new HashMap<>();

    Stage2Fixture(ModelPack modelPack) {
        pack = new LoadedPack(
                modelPack,
                LoadedPack.schedulerOf(modelPack.manifest()),
                UnetModel.load(modelPack, OnnxOptions.defaults()));
        level.put("", 0.0f);
        level.put("a", 0.3f);
        level.put("b", -0.2f);
    }

    /** Prompt p's T5 states [1, 77, 4096]: channel c of every token holds level(p) + 0.05 (c mod 7). */
    Tensor embedding(String prompt) {
        float[] d = new float[TestFunctions.T5_TOKENS * TestFunctions.T5_WIDTH];
        for (int k = 0; k < TestFunctions.T5_TOKENS; k++) {
            for (int c = 0; c < TestFunctions.T5_WIDTH; c++) {
                d[k * TestFunctions.T5_WIDTH + c] = level.get(prompt) + 0.05f * (c % 7);
            }
        }
        return new Tensor(new int[] {1, TestFunctions.T5_TOKENS, TestFunctions.T5_WIDTH}, d);
    }

    /** The prompts every row was built for, in order. */
    final List<String> asked = new ArrayList<>();

    ConditioningSource conditioning() {
        return prompts -> {
            asked.addAll(prompts);
            int row = TestFunctions.T5_TOKENS * TestFunctions.T5_WIDTH;
            float[] d = new float[prompts.size() * row];
            for (int i = 0; i < prompts.size(); i++) {
                System.arraycopy(embedding(prompts.get(i)).data(), 0, d, i * row, row);
            }
            return new Tensor(new int[] {prompts.size(), TestFunctions.T5_TOKENS, TestFunctions.T5_WIDTH}, d);
        };
    }

    /**
     * The pack's function in plain Java for one row: sample6 = [first | second] ([3, 256, 256] each) at t with a
     * prompt and class label: [6, 256, 256].
     */
    Tensor reference(Tensor first, Tensor second, int t, String prompt, long classLabel) {
        int plane = first.size();
        float[] s = new float[2 * plane];
        System.arraycopy(first.data(), 0, s, 0, plane);
        System.arraycopy(second.data(), 0, s, plane, plane);
        Tensor out = TestFunctions.stage2(
                new Tensor(new int[] {1, 6, 256, 256}, s), new long[] {t}, embedding(prompt), new long[] {classLabel});
        return out.reshape(6, 256, 256);
    }

    static UpscaleSettings settings(int[] ts, int noiseLevel, double g, String prompt, String negative) {
        return UpscaleSettings.plain(ts, noiseLevel, g, prompt, negative, Sampler.DIFFUSERS);
    }

    /** A loop context that records progress and can cancel after a number of checks. */
    static final class Loop implements LoopContext {
        final long seed;
        final int cancelAfter;
        final List<int[]> progress = new ArrayList<>();
        int checks;

        Loop(long seed, int cancelAfter) {
            this.seed = seed;
            this.cancelAfter = cancelAfter;
        }

        @Override
        public long seed() {
            return seed;
        }

        @Override
        public void checkCancelled() {
            if (checks++ == cancelAfter) {
                throw new JobCancelledException("test");
            }
        }

        @Override
        public void progress(String stage, int step, int total) {
            progress.add(new int[] {step, total});
        }
    }

    static Loop loop(long seed) {
        return new Loop(seed, -1);
    }

    /** Image i of a batch [N, C, H, W]. */
    static Tensor image(Tensor batch, int i) {
        int plane = batch.size() / batch.dim(0);
        float[] out = new float[plane];
        System.arraycopy(batch.data(), i * plane, out, 0, plane);
        return new Tensor(new int[] {batch.dim(1), batch.dim(2), batch.dim(3)}, out);
    }

    static Tensor random(long seed, int... shape) {
        Random r = new Random(seed);
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) Math.max(-1, Math.min(1, r.nextGaussian() * 0.5));
        }
        return t;
    }

    @Override
    public void close() {
        pack.unet().close();
    }
}
