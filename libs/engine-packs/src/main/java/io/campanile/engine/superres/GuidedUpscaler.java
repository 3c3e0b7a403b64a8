package io.campanile.engine.superres;

import io.campanile.diffusion.tensor.Tensor;
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

/**
 * The guided stage-II estimate of one step for every image of a job, in ONE batched UNet call, written into buffers
 * that are allocated once per job and reused by every step.
 *
 * <p>Rows of the batch: image-major, the conditional row (prompt) then the unconditional row (negative prompt). Each
 * row's sample is the 2C-channel concatenation {@code [x_t | u_noisy]} (x_t in channels 0..C-1, the noised upscaled
 * image in C..2C-1); {@code class_labels} = the noise level. Classifier-free guidance (Ho &amp; Salimans 2022, eq. 6)
 * mixes the epsilon channels, {@code eps = eps_u + g (eps_c - eps_u)}; the learned variance interpolation v comes
 * from the conditional row's channels C..2C-1, as diffusers' IF super-resolution pipeline does.
 */
public final class GuidedUpscaler implements Denoiser {
    private final UnetModel unet;
    private final int channels;
    private final int plane;
    private final int rowsPerImage;
    private final float guidance;
    private final int images;
    /** [rows, 2C, S, S]: channels C..2C-1 hold u_noisy from construction on; 0..C-1 get x_t every step. */
    private final Tensor sample;

    private final long[] steps;
    private final UnetInput input;
    /** The step's estimate, written by every call. */
    private final Prediction prediction;

    /**
     * Builds the batch buffers for the images of {@code uNoisy}.
     *
     * @param uNoisy the upscaled images noised to the noise level, [N, C, S, S]
     */
    public GuidedUpscaler(LoadedPack pack, ConditioningSource conditioning, UpscaleSettings s, Tensor uNoisy) {
        this.unet = pack.unet();
        this.channels = pack.channels();
        int size = pack.size();
        uNoisy.requireShape("upscaled image", uNoisy.dim(0), channels, size, size);
        this.images = uNoisy.dim(0);
        this.plane = channels * size * size;
        this.rowsPerImage = s.cfg() ? 2 : 1;
        this.guidance = (float) s.guidanceScale();
        int rows = images * rowsPerImage;
        this.sample = Tensor.zeros(rows, 2 * channels, size, size);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(uNoisy.data(), (r / rowsPerImage) * plane, sample.data(), (2 * r + 1) * plane, plane);
        }
        this.steps = new long[rows];
        long[] labels = new long[rows];
        Arrays.fill(labels, s.noiseLevel());
        List<String> prompts = new ArrayList<>(rows);
        for (int i = 0; i < images; i++) {
            prompts.add(s.prompt());
            if (s.cfg()) {
                prompts.add(s.negativePrompt());
            }
        }
        this.input = UnetInput.upscale(sample, steps, conditioning.rows(prompts), labels);
        this.prediction =
                new Prediction(Tensor.zeros(images, channels, size, size), Tensor.zeros(images, channels, size, size));
    }

    /** The guided estimate at timestep t, in buffers reused by the next call. */
    @Override
    public Prediction predict(Tensor x, int t) {
        predictInto(x, t, prediction.eps(), prediction.v());
        return prediction;
    }

    /** Rows per image in the UNet batch: 2 with guidance, 1 without. */
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
        // 1. x_t into channels 0..C-1 of each of the image's rows; u_noisy stays in C..2C-1.
        float[] in = sample.data();
        for (int r = 0; r < steps.length; r++) {
            System.arraycopy(x.data(), (r / rowsPerImage) * plane, in, 2 * r * plane, plane);
        }
        Arrays.fill(steps, t);
        // 2. One UNet call for every row.
        Tensor out = unet.run(input);
        // 3. Guidance on the epsilon channels, v from the conditional row.
        float[] o = out.data();
        int outRow = out.size() / out.dim(0);
        boolean learned = out.dim(1) == 2 * channels;
        float[] e = eps.data();
        for (int i = 0; i < images; i++) {
            int cond = i * rowsPerImage * outRow;
            int uncond = cond + outRow;
            int dst = i * plane;
            if (rowsPerImage == 2) {
                Guidance.mix(o, cond, o, uncond, guidance, e, dst, plane);
            } else {
                System.arraycopy(o, cond, e, dst, plane);
            }
            if (learned && v != null) {
                System.arraycopy(o, cond + plane, v.data(), dst, plane);
            }
        }
    }
}
