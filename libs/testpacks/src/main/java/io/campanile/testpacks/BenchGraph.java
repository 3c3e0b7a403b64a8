package io.campanile.testpacks;

import static ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT;
import static ai.onnx.proto.OnnxMl.TensorProto.DataType.INT64;
import static io.campanile.testpacks.GraphBuilder.BATCH;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * {@code bench-if-stage1}: the stage-I signature with real convolution work, for benchmarks of the sampling loop.
 *
 * <pre>
 *   h1  = Relu(Conv3x3(x, 3 -> 128))              2 * 3 * 9 * 128 * 4096   =    28,311,552 FLOP
 *   h2  = Relu(Conv3x3(h1, 128 -> 128))           2 * 128 * 9 * 128 * 4096 = 1,207,959,552 FLOP
 *   eps = Conv3x3(h2, 128 -> 3) + e + 0.001 t     2 * 128 * 9 * 3 * 4096   =    28,311,552 FLOP
 *   v   = tanh(Conv3x3(h2, 128 -> 3))             2 * 128 * 9 * 3 * 4096   =    28,311,552 FLOP
 *   e   = token mean of ehs[:, :, :3]             2 * 77 * 4096 * 3        =     1,892,352 FLOP
 * </pre>
 *
 * About 1.29 GFLOP per 64x64 image (a UNet step that costs real time, as IF's does: the engine's own work must stay
 * small beside it) (multiply-adds counted as 2; biases, Relu and tanh left out). Weights are
 * Gaussian from {@code new Random(}{@value #SEED}{@code )}, He-scaled (sqrt(2 / fan_in)) for the hidden layers and
 * 0.5 sqrt(1 / fan_in) for the heads, biases zero, so |eps| stays around 1 for inputs in [-1, 1].
 */
final class BenchGraph {
    /** Seed of the weights. */
    static final long SEED = 34224309L;
    /** Hidden channels. */
    static final int WIDTH = 128;

    private BenchGraph() {}

    static ModelProto build() {
        int size = 64;
        Random random = new Random(SEED);
        GraphBuilder g = new GraphBuilder();
        ONNXPlaceholder x = g.input(TestGraphs.SAMPLE, FLOAT, BATCH, 3, size, size);
        ONNXPlaceholder t = g.input(TestGraphs.TIMESTEP, INT64, BATCH);
        ONNXPlaceholder ehs = g.input(TestGraphs.EHS, FLOAT, BATCH, TestFunctions.T5_TOKENS, TestFunctions.T5_WIDTH);
        ONNXPlaceholder out = g.output(TestGraphs.OUT, FLOAT, BATCH, 6, size, size);
        ONNXNode h1 = g.op(Op.RELU, "h1", List.of(conv(g, random, "conv1", x, 3, WIDTH, Math.sqrt(2.0 / 27))));
        double hidden = Math.sqrt(2.0 / (WIDTH * 9));
        ONNXNode h2 = g.op(Op.RELU, "h2", List.of(conv(g, random, "conv2", h1, WIDTH, WIDTH, hidden)));
        double head = 0.5 * Math.sqrt(1.0 / (WIDTH * 9));
        ONNXNode epsRaw = conv(g, random, "conv_eps", h2, WIDTH, 3, head);
        ONNXNode v = g.op(Op.TANH, "v", List.of(conv(g, random, "conv_v", h2, WIDTH, 3, head)));
        ONNXNode bias = g.add("bias", TestGraphs.tokenMean(g, ehs, 3), TestGraphs.timeTerm(g, t));
        ONNXNode eps = g.add("eps", epsRaw, g.unsqueeze("bias_4d", bias, 2, 3));
        g.output(g.op(Op.CONCAT, "eps_v", List.of(eps, v), Map.of("axis", 1)), out);
        return g.build("bench_if_stage1", "three 3x3 conv layers (3->128->128->3+3), about 1.29 GFLOP per image");
    }

    private static ONNXNode conv(
            GraphBuilder g, Random random, String name, ONNXRef<?> in, int cin, int cout, double std) {
        float[] w = new float[cout * cin * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * std);
        }
        ONNXRef<?> weights = g.floats(name + "_w", new int[] {cout, cin, 3, 3}, w);
        ONNXRef<?> bias = g.floats(name + "_b", new int[] {cout}, new float[cout]);
        return g.op(
                Op.CONV,
                name,
                List.of(in, weights, bias),
                Map.of("kernel_shape", new int[] {3, 3}, "pads", new int[] {1, 1, 1, 1}, "strides", new int[] {1, 1}));
    }
}
