package io.campanile.onnx.inference;

import io.campanile.diffusion.tensor.Tensor;

/**
 * One UNet call on a batch of B samples. Prefer the factory methods, which say which kind of pack the call is for.
 *
 * @param sample x_t [B, C, S, S], or [B, 2C, S, S] = [x_t | upscaled image] for an upscaler
 * @param timesteps t per sample [B]
 * @param conditioning T5 states [B, tokens, width] ({@code t5}), class vectors [B, K] ({@code class}: one-hot, all
 *     zeros = unconditional), null for {@code none}
 * @param classLabels the noise level per sample [B] of an upscaler, else null
 * @param sampleIndex null: row i of the batch is sample i. Else rows share samples: row i is sample
 *     {@code sampleIndex[i]}, and {@code sample} holds only the M distinct samples [M, C, S, S] (classifier-free
 *     guidance's conditional and unconditional rows of one image are one sample). A pack whose graph shares its
 *     encoder runs that encoder once per distinct sample; any other pack gets the rows expanded.
 */
public record UnetInput(Tensor sample, long[] timesteps, Tensor conditioning, long[] classLabels, long[] sampleIndex) {
    public UnetInput {
        if (sample == null || timesteps == null) {
            throw new IllegalArgumentException("sample and timesteps are required");
        }
    }

    /** One sample per row. */
    public UnetInput(Tensor sample, long[] timesteps, Tensor conditioning, long[] classLabels) {
        this(sample, timesteps, conditioning, classLabels, null);
    }

    /** The same call with rows that share samples: row i is sample {@code index[i]} of {@link #sample}. */
    public UnetInput sharing(long[] index) {
        return new UnetInput(sample, timesteps, conditioning, classLabels, index);
    }

    /** For a pack with conditioning {@code none}. */
    public static UnetInput unconditional(Tensor sample, long[] timesteps) {
        return new UnetInput(sample, timesteps, null, null);
    }

    /** For a pack with conditioning {@code t5}: {@code states} [B, tokens, width]. */
    public static UnetInput text(Tensor sample, long[] timesteps, Tensor states) {
        return new UnetInput(sample, timesteps, states, null);
    }

    /** For a pack with conditioning {@code class}: {@code classVectors} [B, K]. */
    public static UnetInput classes(Tensor sample, long[] timesteps, Tensor classVectors) {
        return new UnetInput(sample, timesteps, classVectors, null);
    }

    /** For an upscaler (IF stage II): {@code sample} [B, 2C, S, S], states, noise levels [B]. */
    public static UnetInput upscale(Tensor sample, long[] timesteps, Tensor states, long[] noiseLevels) {
        return new UnetInput(sample, timesteps, states, noiseLevels);
    }

    /** The batch size B: the rows. */
    public int batch() {
        return sampleIndex != null ? sampleIndex.length : samples();
    }

    /** The distinct samples M (B when no rows share). */
    public int samples() {
        return sample.rank() == 0 ? 0 : sample.dim(0);
    }
}
