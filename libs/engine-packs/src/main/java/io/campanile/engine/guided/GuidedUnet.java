package io.campanile.engine.guided;

import io.campanile.contracts.jobs.Sampler;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.loop.Denoiser;
import io.campanile.engine.loop.Guidance;
import io.campanile.engine.loop.Prediction;
import io.campanile.engine.packs.ConditioningSource;
import io.campanile.engine.packs.LoadedPack;
import io.campanile.onnx.inference.UnetInput;
import io.campanile.onnx.inference.UnetModel;
import io.campanile.packs.PackException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * One guided noise estimate per step, for every image of a job at once. Every branch of the step (each prompt with
 * its view, conditional and unconditional) of every image goes through ONE batched UNet call; then per branch
 * classifier-free guidance eps = eps_u + g (eps_c - eps_u) (Ho &amp; Salimans 2022, eq. 6), the inverse view, and the
 * {@link Mix} of the branches. The learned variance comes from the conditional rows (mean over branches, after their
 * inverse views). Only the conditional rows run for a pack without conditioning, and for a scale the sampler does
 * not guide at (the course: g = 1, where eq. A.4 is eps_c; diffusers: g &lt;= 1).
 *
 * <p>Row layout of the batch: image-major, then branch, then conditional before unconditional.
 */
public final class GuidedUnet implements Denoiser {
    private final LoadedPack pack;
    private final UnetModel unet;
    private final List<Branch> branches;
    private final double guidance;
    private final boolean cfg;
    private final Mix mix;
    private final ConditioningSource conditioning;
    private final String negativePrompt;
    private LongConsumer unetTime = n -> {};
    private Tensor condRows;
    private int condRowsFor = -1;

    /**
     * The settings of one guided estimate.
     *
     * @param sampler decides whether a scale runs the unconditional rows ({@link Sampler#guides})
     */
    public record Settings(
            List<Branch> branches, String negativePrompt, double guidanceScale, Mix mix, Sampler sampler) {}

    public GuidedUnet(LoadedPack pack, ConditioningSource conditioning, Settings s) {
        this.pack = pack;
        this.unet = pack.requireUnet();
        this.branches = List.copyOf(s.branches());
        this.guidance = s.guidanceScale();
        this.cfg = s.sampler().guides(s.guidanceScale()) && conditioning.conditional();
        this.mix = s.mix();
        this.conditioning = conditioning;
        this.negativePrompt = s.negativePrompt();
    }

    /** Reports the nanoseconds of every UNet call (the job's unet_ms timing). */
    public GuidedUnet timed(LongConsumer sink) {
        this.unetTime = sink;
        return this;
    }

    /** Rows per image in the UNet batch. */
    public int rowsPerImage() {
        return branches.size() * (cfg ? 2 : 1);
    }

    @Override
    public Prediction predict(Tensor x, int t) {
        int[] steps = new int[x.dim(0)];
        Arrays.fill(steps, t);
        return predict(x, steps);
    }

    /**
     * The guided estimate for images {@code x} [N, C, H, W] at timesteps {@code t} (one per image); ONNX Runtime's
     * failures and non-finite outputs are {@link PackException}s.
     */
    public Prediction predict(Tensor x, int[] t) {
        int n = x.dim(0);
        int c = pack.channels();
        int s = pack.size();
        int plane = c * s * s;
        int rows = n * rowsPerImage();
        // 1. The batch: each branch's view of each image once, and per row (conditional and unconditional) the
        // view it denoises. A pack whose graph shares its encoder runs it once per view (UnetInput.sampleIndex).
        int views = n * branches.size();
        float[] sample = new float[views * plane];
        long[] index = new long[rows];
        long[] steps = new long[rows];
        int row = 0;
        int view = 0;
        for (int i = 0; i < n; i++) {
            for (Branch b : branches) {
                if (b.view().isIdentity()) { // most jobs: no copy of the image beyond the batch's
                    System.arraycopy(x.data(), i * plane, sample, view * plane, plane);
                } else {
                    System.arraycopy(b.view().apply(x.item(i)).data(), 0, sample, view * plane, plane);
                }
                for (int k = 0; k < (cfg ? 2 : 1); k++) {
                    index[row] = view;
                    steps[row++] = t[i];
                }
                view++;
            }
        }
        // 2. One UNet call.
        Tensor cond = conditioningRows(n);
        long t0 = System.nanoTime();
        Tensor samples = new Tensor(new int[] {views, c, s, s}, sample);
        UnetInput input = new UnetInput(samples, steps, cond, null);
        Tensor out = unet.run(cfg ? input.sharing(index) : input);
        unetTime.accept(System.nanoTime() - t0);
        // 3. Guidance, inverse views and the mix, per image.
        return combine(out, n, c, s);
    }

    private Prediction combine(Tensor out, int n, int c, int s) {
        int plane = c * s * s;
        int outC = out.dim(1);
        boolean learned = outC == 2 * c;
        float[] o = out.data();
        float[] eps = new float[n * plane];
        float[] v = learned ? new float[n * plane] : null;
        int row = 0;
        for (int i = 0; i < n; i++) {
            List<Tensor> guided = new ArrayList<>(branches.size());
            List<Tensor> variances = new ArrayList<>(branches.size());
            for (Branch b : branches) {
                int cond = row * outC * s * s;
                boolean identity = b.view().isIdentity();
                float[] e;
                if (cfg) {
                    e = new float[plane];
                    Guidance.mix(o, cond, o, (row + 1) * outC * s * s, (float) guidance, e, 0, plane);
                } else {
                    e = Arrays.copyOfRange(o, cond, cond + plane);
                }
                Tensor guidedEps = new Tensor(new int[] {c, s, s}, e);
                guided.add(identity ? guidedEps : b.view().inverse(guidedEps));
                if (learned) {
                    Tensor var = new Tensor(new int[] {c, s, s}, Arrays.copyOfRange(o, cond + plane, cond + 2 * plane));
                    variances.add(identity ? var : b.view().inverseVariance(var));
                }
                row += cfg ? 2 : 1;
            }
            System.arraycopy(mix.combine(guided).data(), 0, eps, i * plane, plane);
            if (learned) {
                System.arraycopy(Mix.mean().combine(variances).data(), 0, v, i * plane, plane);
            }
        }
        int[] shape = {n, c, s, s};
        return new Prediction(new Tensor(shape, eps), learned ? new Tensor(shape, v) : null);
    }

    /** The conditioning rows for n images, built once per batch size (they do not change between steps). */
    private Tensor conditioningRows(int n) {
        if (!conditioning.conditional()) {
            return null;
        }
        if (condRowsFor != n) {
            List<String> prompts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                for (Branch b : branches) {
                    prompts.add(b.prompt());
                    if (cfg) {
                        prompts.add(negativePrompt);
                    }
                }
            }
            condRows = conditioning.rows(prompts);
            condRowsFor = n;
        }
        return condRows;
    }
}
