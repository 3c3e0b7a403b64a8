package io.campanile.engine.superres;

import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.guided.Branch;
import io.campanile.engine.guided.Mix;
import io.campanile.engine.loop.Denoiser;
import io.campanile.engine.loop.Guidance;
import io.campanile.engine.loop.Prediction;
import io.campanile.engine.packs.ConditioningSource;
import io.campanile.engine.packs.LoadedPack;
import io.campanile.onnx.inference.UnetInput;
import io.campanile.onnx.inference.UnetModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The guided stage-II estimate of one step for every image of a job, in ONE batched UNet call, written into buffers
 * that are allocated once per job and reused by every step.
 *
 * <p>Rows of the batch: image-major, then branch, the conditional row (the branch's prompt) before the unconditional
 * row (negative prompt). Each row's sample is the 2C-channel concatenation {@code [view(x_t) | view(u_noisy)]} (x_t
 * in channels 0..C-1, the noised upscaled image in C..2C-1; visual_anagrams' stage-II sampler applies a branch's view
 * to both); {@code class_labels} = the noise level. Classifier-free guidance (Ho &amp; Salimans 2022, eq. 6) mixes the
 * epsilon channels, {@code eps = eps_u + g (eps_c - eps_u)}; the learned variance interpolation v comes from the
 * conditional row's channels C..2C-1, as diffusers' IF super-resolution pipeline does. Each branch's estimates are
 * mapped back by its inverse view and combined by the {@link Mix} (eps) and their mean (v). Plain upscaling is one
 * identity branch and takes a path without copies of views.
 */
public final class GuidedUpscaler implements Denoiser {
    private final UnetModel unet;
    private final int channels;
    private final int size;
    private final int plane;
    private final List<Branch> branches;
    private final boolean plain;
    private final Mix mix;
    private final int perBranch;
    private final int rowsPerImage;
    private final float guidance;
    private final int images;
    /** [rows, 2C, S, S]: channels C..2C-1 hold view(u_noisy) from construction on; 0..C-1 get view(x_t) each step. */
    private final Tensor sample;

    private final long[] steps;
    private final UnetInput input;
    /** The step's estimate, written by every call. */
    private final Prediction prediction;
    /** Receives the nanoseconds of every UNet call (the job's unet timing). */
    private LongConsumer unetTime = nanos -> {};

    /**
     * Builds the batch buffers for the images of {@code uNoisy}.
     *
     * @param uNoisy the upscaled images noised to the noise level, [N, C, S, S]
     */
    public GuidedUpscaler(LoadedPack pack, ConditioningSource conditioning, UpscaleSettings s, Tensor uNoisy) {
        this.unet = pack.unet();
        this.channels = pack.channels();
        this.size = pack.size();
        uNoisy.requireShape("upscaled image", uNoisy.dim(0), channels, size, size);
        this.images = uNoisy.dim(0);
        this.plane = channels * size * size;
        this.branches = s.branches();
        this.plain =
                branches.size() == 1 && "identity".equals(branches.get(0).view().name());
        this.mix = s.mix();
        this.perBranch = s.cfg() ? 2 : 1;
        this.rowsPerImage = branches.size() * perBranch;
        this.guidance = (float) s.guidanceScale();
        int rows = images * rowsPerImage;
        this.sample = Tensor.zeros(rows, 2 * channels, size, size);
        List<String> prompts = new ArrayList<>(rows);
        for (int i = 0; i < images; i++) {
            Tensor ui = uNoisy.item(i);
            for (int b = 0; b < branches.size(); b++) {
                float[] viewed = branches.get(b).view().apply(ui).data();
                for (int k = 0; k < perBranch; k++) {
                    int row = (i * branches.size() + b) * perBranch + k;
                    System.arraycopy(viewed, 0, sample.data(), (2 * row + 1) * plane, plane);
                    prompts.add(k == 0 ? branches.get(b).prompt() : s.negativePrompt());
                }
            }
        }
        this.steps = new long[rows];
        long[] labels = new long[rows];
        Arrays.fill(labels, s.noiseLevel());
        this.input = UnetInput.upscale(sample, steps, conditioning.rows(prompts), labels);
        this.prediction =
                new Prediction(Tensor.zeros(images, channels, size, size), Tensor.zeros(images, channels, size, size));
    }

    /** Reports the nanoseconds of every UNet call (the job's unet_ms timing). */
    public GuidedUpscaler timed(LongConsumer sink) {
        this.unetTime = sink;
        return this;
    }

    /** The guided estimate at timestep t, in buffers reused by the next call. */
    @Override
    public Prediction predict(Tensor x, int t) {
        predictInto(x, t, prediction.eps(), prediction.v());
        return prediction;
    }

    /** Rows per image in the UNet batch: branches times 2 with guidance, times 1 without. */
    public int rowsPerImage() {
        return rowsPerImage;
    }

    /** The UNet's sample buffer [rows, 2C, S, S], as the last call saw it. */
    public Tensor sample() {
        return sample;
    }

    /**
     * The guided estimate for images {@code x} [N, C, S, S] at timestep t.
     *
     * @param eps receives the guided noise estimate [N, C, S, S]
     * @param v receives the conditional variance interpolation [N, C, S, S], or null for a pack without it
     */
    public void predictInto(Tensor x, int t, Tensor eps, Tensor v) {
        // 1. view(x_t) into channels 0..C-1 of each of the branch's rows; view(u_noisy) stays in C..2C-1.
        float[] in = sample.data();
        for (int i = 0; i < images; i++) {
            for (int b = 0; b < branches.size(); b++) {
                float[] src = plain
                        ? x.data()
                        : branches.get(b).view().apply(x.item(i)).data();
                int srcOff = plain ? i * plane : 0;
                for (int k = 0; k < perBranch; k++) {
                    int row = (i * branches.size() + b) * perBranch + k;
                    System.arraycopy(src, srcOff, in, 2 * row * plane, plane);
                }
            }
        }
        Arrays.fill(steps, t);
        // 2. One UNet call for every row.
        long t0 = System.nanoTime();
        Tensor out = unet.run(input);
        unetTime.accept(System.nanoTime() - t0);
        // 3. Guidance on the epsilon channels, v from the conditional rows, each branch mapped back and combined.
        float[] o = out.data();
        int outRow = out.size() / out.dim(0);
        boolean learned = out.dim(1) == 2 * channels && v != null;
        for (int i = 0; i < images; i++) {
            if (plain) {
                guide(o, i * rowsPerImage * outRow, outRow, eps.data(), i * plane);
                if (learned) {
                    System.arraycopy(o, i * rowsPerImage * outRow + plane, v.data(), i * plane, plane);
                }
                continue;
            }
            combine(o, outRow, i, learned, eps, v);
        }
    }

    /** The guided eps of the branch whose conditional row starts at {@code cond}, into {@code dst[off..]}. */
    private void guide(float[] o, int cond, int outRow, float[] dst, int off) {
        if (perBranch == 2) {
            Guidance.mix(o, cond, o, cond + outRow, guidance, dst, off, plane);
        } else {
            System.arraycopy(o, cond, dst, off, plane);
        }
    }

    private void combine(float[] o, int outRow, int image, boolean learned, Tensor eps, Tensor v) {
        int[] shape = {channels, size, size};
        List<Tensor> guided = new ArrayList<>(branches.size());
        List<Tensor> variances = new ArrayList<>(branches.size());
        for (int b = 0; b < branches.size(); b++) {
            int cond = (image * branches.size() + b) * perBranch * outRow;
            float[] e = new float[plane];
            guide(o, cond, outRow, e, 0);
            guided.add(branches.get(b).view().inverse(new Tensor(shape, e)));
            if (learned) {
                Tensor vb = new Tensor(shape, Arrays.copyOfRange(o, cond + plane, cond + 2 * plane));
                variances.add(branches.get(b).view().inverseVariance(vb));
            }
        }
        System.arraycopy(mix.combine(guided).data(), 0, eps.data(), image * plane, plane);
        if (learned) {
            System.arraycopy(Mix.mean().combine(variances).data(), 0, v.data(), image * plane, plane);
        }
    }
}
