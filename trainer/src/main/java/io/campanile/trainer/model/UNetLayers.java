package io.campanile.trainer.model;

/**
 * The layers {@link UNetTopology} wires the course UNet from, implemented once per back-end: the hand-written
 * training step ({@code step.StepLayers}, values are its tape's nodes), the SameDiff graph ({@code UNetGraph},
 * variables) and the ONNX export ({@code OnnxUNet}, value names). A layer with weights gets the name its weights are
 * stored under: a convolution {@code <name>_W}, {@code <name>_b}; a batch norm {@code <name>_gamma},
 * {@code <name>_beta}, {@code <name>_rmean}, {@code <name>_rvar}; a linear layer {@code <name>_W}, {@code <name>_b}.
 * Channel counts are the spec's, for back-ends that create the weights; the others read them off the weights. Each
 * call adds its layer after the ones before it: back-ends that draw initial weights draw them in call order.
 *
 * @param <V> a back-end's value: what a layer takes and returns
 */
public interface UNetLayers<V> {
    /** The network's inputs; which ones an architecture has is {@link UNetTopology#inputs}. */
    enum Input {
        /** The (noisy) image, [B, 1, 28, 28]. */
        IMAGE,
        /** The normalised timestep t / T, [B, 1]. */
        TIME,
        /** The one-hot (or zero) class vector, [B, K]. */
        CLASS;

        /** This input's shape for n images. */
        public long[] shape(UNetSpec spec, long n) {
            return switch (this) {
                case IMAGE -> new long[] {n, 1, UNetSpec.SIZE, UNetSpec.SIZE};
                case TIME -> new long[] {n, 1};
                case CLASS -> new long[] {n, spec.numClasses()};
            };
        }

        /** This input's values among a batch's image, time and class values. */
        public float[] of(float[] x, float[] t, float[] c) {
            return switch (this) {
                case IMAGE -> x;
                case TIME -> t;
                case CLASS -> c;
            };
        }
    }

    V input(Input input);

    /** Conv2d with a 3 x 3 kernel, padding 1 and the given stride. */
    V conv(String name, V x, int in, int out, int stride);

    /** ConvTranspose2d with a k x k kernel, stride and padding. */
    V deconv(String name, V x, int in, int out, int k, int stride, int pad);

    /** BatchNorm2d (batch statistics when training, running statistics otherwise), then GELU. */
    V bnGelu(String name, V x, int channels);

    /** The mean over the pixels of each channel: [B, C, H, W] to [B, C, 1, 1]. */
    V avgPool(V x);

    /** The exact (erf) GELU. */
    V gelu(V x);

    /** x W + b on [B, in]. */
    V linear(String name, V x, int in, int out);

    /** Concatenation along the channels, a's first. */
    V concat(V a, V b);

    /**
     * {@code scale * h + shift} per image and channel, scale and shift [B, channels] (scale null: {@code h + shift}).
     *
     * @param k the conditioning point's number (its FCBlocks are {@code fc_t<k>} and {@code fc_c<k>})
     */
    V condition(String k, V h, V scale, V shift, int channels);

    /**
     * An encoder value (one per distinct sample) for each row of the decoder. The encoder sees neither t nor the
     * class, so rows that denoise the same sample (classifier-free guidance's conditional and unconditional rows)
     * can share it: the exported class-conditioned graph gathers by its {@code sample_index} input. Where every row
     * is its own sample (training, SameDiff), the value itself.
     */
    default V perRow(V encoded) {
        return encoded;
    }
}
