package io.campanile.trainer.inference;

import java.util.Arrays;
import java.util.List;

/**
 * How the exporter writes convolutions: weights split for a skip concatenation ({@link #splitInput}, see {@link
 * OnnxUNet}), and two convolutions of the course UNet written as operators ONNX Runtime runs faster on CPU, computing the same sums
 * (measured on the D 64 graph in 12 interleaved rounds, 20 images and their guidance twins per lane, two lanes: 95.6
 * to 93.1 ms a step; 2 x 40 on one two-thread session: 104.9 to 101.5 ms; docs/adr/0025):
 * <ul>
 *   <li><b>A ConvTranspose on a 1 x 1 input</b> (the unflatten, k 7 s 7 p 0) is a matrix product: each output pixel
 *       is the input vector times that pixel's kernel slice. Gemm over [in, out * k * k] with the bias repeated per
 *       pixel, then Reshape; ONNX Runtime's ConvTranspose runs it as a GEMM plus a col2im pass over 49 pixels.
 *   <li><b>The 3 x 3 convolution to one output channel</b> (the output layer) is padded by ONNX Runtime to a block of
 *       16 output channels, 15 of them wasted. Written as a 1 x 1 convolution to 9 channels (one per kernel tap: the
 *       tap's weights over the input channels) followed by a 3 x 3 convolution of 9 channels to 1 with fixed one-hot
 *       weights (channel k shifted by tap k) and the bias, it does the same multiply-adds in another order.
 * </ul>
 */
final class ConvForms {
    private ConvForms() {}

    /** How a convolution is written. */
    enum Form {
        /** As the operator it is. */
        PLAIN,
        /** {@link #fromPoint}. */
        FROM_POINT,
        /** {@link #taps}. */
        TAPS
    }

    /**
     * A ConvTranspose without padding on a [B, in, 1, 1] input.
     *
     * @param wv ONNX ConvTranspose weights [in, out, k, k], batch norm folded
     * @param bias [out]
     */
    static String fromPoint(OnnxGraph g, String name, String x, float[] wv, float[] bias, long[] shape) {
        int in = (int) shape[0];
        int out = (int) shape[1];
        int kk = (int) (shape[2] * shape[3]);
        float[] pixelBias = new float[out * kk]; // [out, k, k] flattened, as the Gemm's columns are
        for (int o = 0; o < out; o++) {
            Arrays.fill(pixelBias, o * kk, (o + 1) * kk, bias[o]);
        }
        String flat = g.node("Flatten", List.of(x), "axis", 1);
        String gemm = g.node(
                "Gemm",
                List.of(
                        flat,
                        g.floats(name + "_W_gemm", wv, in, (long) out * kk),
                        g.floats(name + "_b_pixels", pixelBias, (long) out * kk)));
        return g.node("Reshape", List.of(gemm, g.longs(name + "_shape", -1, out, shape[2], shape[3])));
    }

    /**
     * A 3 x 3 convolution with stride 1 and padding 1 to one output channel.
     *
     * @param wv ONNX Conv weights [1, in, 3, 3]
     * @param bias the name of its bias [1]
     */
    static String taps(OnnxGraph g, String name, String x, float[] wv, long[] shape, String bias) {
        int in = (int) shape[1];
        float[] tapWeights = new float[9 * in]; // [9, in, 1, 1]: tap k's weight of input channel i
        float[] shift = new float[9 * 9]; // [1, 9, 3, 3]: channel k contributes at tap k only
        for (int k = 0; k < 9; k++) {
            for (int i = 0; i < in; i++) {
                tapWeights[k * in + i] = wv[i * 9 + k];
            }
            shift[k * 9 + k] = 1f;
        }
        String perTap = g.node(
                "Conv", List.of(x, g.floats(name + "_W_taps", tapWeights, 9, in, 1, 1)), "kernel_shape", new long[] {
                    1, 1
                });
        return g.node(
                "Conv",
                List.of(perTap, g.floats(name + "_W_shift", shift, 1, 9, 3, 3), bias),
                "kernel_shape",
                new long[] {3, 3},
                "pads",
                new long[] {1, 1, 1, 1});
    }

    /** ONNX weights split along the input-channel axis into its first and second half. */
    static float[][] splitInput(float[] wv, long[] shape, int inAxis) {
        float[][] parts = {new float[wv.length / 2], new float[wv.length / 2]};
        int kk = (int) (shape[2] * shape[3]);
        int inner = inAxis == 1 ? (int) shape[1] * kk : (int) shape[0] * (int) shape[1] * kk;
        // Conv: each output channel's in * kH * kW block is split; ConvTranspose: the whole array, whose first axis
        // is the input channels
        int half = inner / 2;
        for (int start = 0, k = 0; start < wv.length; start += inner, k += half) {
            System.arraycopy(wv, start, parts[0], k, half);
            System.arraycopy(wv, start + half, parts[1], k, half);
        }
        return parts;
    }
}
