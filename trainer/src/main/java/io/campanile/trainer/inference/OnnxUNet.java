package io.campanile.trainer.inference;

import ai.onnx.proto.OnnxMl;
import io.campanile.contracts.jobs.Architecture;
import io.campanile.trainer.model.UNetLayers;
import io.campanile.trainer.model.UNetSpec;
import io.campanile.trainer.model.UNetTopology;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The course UNet ({@link UNetTopology}) as an ONNX opset-20 graph with trained weights as initializers: Conv,
 * BatchNormalization with the running statistics, exact Gelu, GlobalAveragePool, ConvTranspose, Concat, Gemm.
 * Inputs {@code sample} float [B, 1, 28, 28], {@code timestep} int64 [B] (0..T-1; the graph feeds t / T),
 * {@code class_vector} float [B, K] (class-conditioned); output {@code out_sample}.
 *
 * <p>A class-conditioned graph shares its encoder between rows: {@code sample} holds the M distinct samples
 * [M, 1, 28, 28], {@code sample_index} int64 [B] names each row's sample, and the encoder's values are gathered per
 * row where the decoder uses them, so classifier-free guidance runs the encoder once for an image's conditional and
 * unconditional rows. (Splitting the decoder's convolutions over the skip concatenations, to run the encoder's half
 * per sample, and writing the up-sampling ConvTranspose as a convolution and DepthToSpace were measured and were no
 * faster in ONNX Runtime on CPU.)
 */
final class OnnxUNet implements UNetLayers<String> {
    static final String OUTPUT = "out_sample";
    static final String SAMPLE_INDEX = "sample_index";

    private final Map<String, INDArray> w;
    private final int numTimesteps;
    private final UNetSpec spec;
    private final OnnxGraph g = new OnnxGraph("campanile_mnist_unet");
    private boolean indexed;

    private OnnxUNet(UNetSpec spec, Map<String, INDArray> weights, int numTimesteps) {
        this.spec = spec;
        this.w = weights;
        this.numTimesteps = numTimesteps;
    }

    /** The ONNX model bytes of a UNet with these weights (by their {@link UNetGraph} names). */
    static byte[] modelBytes(UNetSpec spec, Map<String, INDArray> weights, int numTimesteps) {
        OnnxUNet u = new OnnxUNet(spec, weights, numTimesteps);
        UNetTopology.build(spec, u);
        u.g.renameLastOutput(OUTPUT);
        u.g.output(OUTPUT, -1, 1, UNetSpec.SIZE, UNetSpec.SIZE);
        return u.g.toModelBytes("campanile-trainer");
    }

    @Override
    public String input(Input input) {
        return switch (input) {
            case IMAGE -> {
                g.input(
                        "sample",
                        shared() ? "samples" : "batch",
                        OnnxMl.TensorProto.DataType.FLOAT,
                        -1,
                        1,
                        UNetSpec.SIZE,
                        UNetSpec.SIZE);
                yield "sample";
            }
            case TIME -> { // t / T as [B, 1]
                g.input("timestep", OnnxMl.TensorProto.DataType.INT64, -1);
                String tf = g.node("Cast", List.of("timestep"), "to", OnnxMl.TensorProto.DataType.FLOAT.getNumber());
                String tn = g.node("Div", List.of(tf, g.floats("T", new float[] {numTimesteps})));
                yield g.node("Unsqueeze", List.of(tn, g.longs("axis1", 1)));
            }
            case CLASS -> {
                g.input("class_vector", OnnxMl.TensorProto.DataType.FLOAT, -1, spec.numClasses());
                yield "class_vector";
            }
        };
    }

    /** DL4J weights [kH, kW, in, out] become ONNX [out, in, kH, kW]. */
    @Override
    public String conv(String name, String x, int in, int out, int stride) {
        String wName = permuted(name + "_W");
        return g.node(
                "Conv",
                List.of(x, wName, flat(name + "_b")),
                "kernel_shape",
                new long[] {3, 3},
                "strides",
                new long[] {stride, stride},
                "pads",
                new long[] {1, 1, 1, 1});
    }

    /** DL4J weights [kH, kW, out, in] become ONNX [in, out, kH, kW]. */
    @Override
    public String deconv(String name, String x, int in, int out, int k, int stride, int pad) {
        String wName = permuted(name + "_W");
        return g.node(
                "ConvTranspose",
                List.of(x, wName, flat(name + "_b")),
                "kernel_shape",
                new long[] {k, k},
                "strides",
                new long[] {stride, stride},
                "pads",
                new long[] {pad, pad, pad, pad});
    }

    @Override
    public String bnGelu(String name, String x, int channels) {
        String y = g.node(
                "BatchNormalization",
                List.of(x, flat(name + "_gamma"), flat(name + "_beta"), flat(name + "_rmean"), flat(name + "_rvar")),
                "epsilon",
                (float) UNetTopology.BN_EPS);
        return gelu(y);
    }

    @Override
    public String avgPool(String x) {
        return g.node("GlobalAveragePool", List.of(x));
    }

    @Override
    public String gelu(String x) {
        return g.node("Gelu", List.of(x), "approximate", "none");
    }

    @Override
    public String linear(String name, String x, int in, int out) {
        return g.node("Gemm", List.of(x, weight(name + "_W"), flat(name + "_b")));
    }

    @Override
    public String concat(String a, String b) {
        return g.node("Concat", List.of(a, b), "axis", 1);
    }

    /** Class-conditioned graphs gather the encoder's values (one per sample) by {@code sample_index}. */
    @Override
    public String perRow(String encoded) {
        if (!shared()) {
            return encoded;
        }
        if (!indexed) {
            g.input(SAMPLE_INDEX, OnnxMl.TensorProto.DataType.INT64, -1);
            indexed = true;
        }
        return g.node("Gather", List.of(encoded, SAMPLE_INDEX), "axis", 0);
    }

    private boolean shared() {
        return spec.architecture() == Architecture.CLASS_CONDITIONED;
    }

    @Override
    public String condition(String k, String h, String scale, String shift, int channels) {
        String tk = g.node("Unsqueeze", List.of(shift, g.longs("axes23_t" + k, 2, 3)));
        if (scale != null) {
            String ck = g.node("Unsqueeze", List.of(scale, g.longs("axes23_c" + k, 2, 3)));
            h = g.node("Mul", List.of(h, ck));
        }
        return g.node("Add", List.of(h, tk));
    }

    private String permuted(String name) {
        INDArray a = w.get(name).permute(3, 2, 0, 1).dup('c');
        return g.floats(name, a.data().asFloat(), a.shape());
    }

    private String weight(String name) {
        INDArray a = w.get(name).dup('c');
        return g.floats(name, a.data().asFloat(), a.shape());
    }

    /** A per-channel vector ([C] or [1, C, 1, 1] in DL4J) as ONNX [C]. */
    private String flat(String name) {
        INDArray a = w.get(name).dup('c');
        return g.floats(name, a.data().asFloat(), a.length());
    }
}
