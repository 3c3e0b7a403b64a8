package io.campanile.trainer.inference;

import ai.onnx.proto.OnnxMl;
import io.campanile.contracts.jobs.Architecture;
import io.campanile.trainer.model.UNetLayers;
import io.campanile.trainer.model.UNetSpec;
import io.campanile.trainer.model.UNetTopology;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The course UNet ({@link UNetTopology}) as an ONNX opset-20 graph with trained weights as initializers: Conv,
 * ConvTranspose, exact Gelu, GlobalAveragePool, Concat (time-conditioned graphs), Gather, Add, Gemm, Reshape; the
 * unflatten and the output layer in the forms of {@link ConvForms}.
 * Inputs {@code sample} float [B, 1, 28, 28], {@code timestep} int64 [B] (0..T-1; the graph feeds t / T),
 * {@code class_vector} float [B, K] (class-conditioned); output {@code out_sample}.
 *
 * <p>Batch norms (running statistics) are folded into the weights of the convolution before them, so a transposed
 * convolution needs no BatchNormalization node either (ONNX Runtime folds a Conv's itself, not a ConvTranspose's).
 *
 * <p>A class-conditioned graph shares its encoder between rows: {@code sample} holds the M distinct samples
 * [M, 1, 28, 28], {@code sample_index} int64 [B] names each row's sample, so classifier-free guidance runs the encoder
 * once for an image's conditional and unconditional rows. Where the decoder concatenates an encoder value (a skip)
 * with its own, the convolution after it is split over the two halves of its input channels, {@code W [skip | own]}:
 * the skip's half runs once per sample and is gathered per row, then added to the own half's: {@code conv(W, [s, h]) =
 * gather(conv(W_s, s)) + conv(W_h, h)}. That takes a quarter of those three layers' arithmetic off a guided step
 * (measured here on the D 64 graph, 80 rows over 40 samples: 116 to 108 ms a step; docs/adr/0025), and there is no concatenated
 * copy. (Writing the up-sampling ConvTranspose as four phase convolutions and DepthToSpace was measured and was no
 * faster in ONNX Runtime on CPU: its DepthToSpace cost what the convolutions saved.)
 */
final class OnnxUNet implements UNetLayers<String> {
    static final String OUTPUT = "out_sample";
    static final String SAMPLE_INDEX = "sample_index";

    private final Map<String, INDArray> w;
    private final int numTimesteps;
    private final UNetSpec spec;
    private final OnnxGraph g;
    private boolean indexed;
    /** Per-row values not yet gathered (a name of this map stands for the gather of its encoder value). */
    private final Map<String, String> perRow = new HashMap<>();
    /** The gather written for a per-row value, once it was used. */
    private final Map<String, String> gathered = new HashMap<>();
    /** Skip concatenations not yet written: the encoder value (per sample) and the decoder's own (per row). */
    private final Map<String, String[]> skips = new HashMap<>();

    private int skipCount;
    /** Batch norms folded into the convolution of their name. */
    private final Set<String> folded = new HashSet<>();
    /** Values of spatial size 1 x 1 (pooled). */
    private final Set<String> points = new HashSet<>();

    private OnnxUNet(UNetSpec spec, Map<String, INDArray> weights, int numTimesteps, WeightFormat format) {
        this.g = new OnnxGraph("campanile_mnist_unet", format);
        this.spec = spec;
        this.w = weights;
        this.numTimesteps = numTimesteps;
    }

    /**
     * The ONNX model bytes of a UNet with these weights (by their {@link UNetGraph} names), stored in {@code format}
     * (computed in float all the same: {@link OnnxGraph#floats}).
     */
    static byte[] modelBytes(UNetSpec spec, Map<String, INDArray> weights, int numTimesteps, WeightFormat format) {
        OnnxUNet u = new OnnxUNet(spec, weights, numTimesteps, format);
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
        return convolution(
                "Conv",
                name,
                x,
                out,
                0,
                out == 1 && stride == 1 ? ConvForms.Form.TAPS : ConvForms.Form.PLAIN,
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
        return convolution(
                "ConvTranspose",
                name,
                x,
                out,
                1,
                pad == 0 && points.contains(x) ? ConvForms.Form.FROM_POINT : ConvForms.Form.PLAIN,
                "kernel_shape",
                new long[] {k, k},
                "strides",
                new long[] {stride, stride},
                "pads",
                new long[] {pad, pad, pad, pad});
    }

    /**
     * A Conv or ConvTranspose with the batch norm of its name folded in; split over a skip concatenation.
     *
     * @param outAxis the axis of the output channels in the ONNX weights (0 for Conv, 1 for ConvTranspose; the
     *     input channels are the other of the first two)
     */
    private String convolution(
            String op, String name, String x, int out, int outAxis, ConvForms.Form form, Object... attrs) {
        INDArray weights = w.get(name + "_W").permute(3, 2, 0, 1).dup('c');
        float[] wv = weights.data().asFloat();
        float[] bias = w.get(name + "_b").dup('c').data().asFloat();
        if (w.containsKey(name + "_gamma")) { // scale = gamma / sqrt(var + eps); bias' = (bias - mean) scale + beta
            float[] gamma = vector(name + "_gamma");
            float[] beta = vector(name + "_beta");
            float[] mean = vector(name + "_rmean");
            float[] var = vector(name + "_rvar");
            double[] scale = new double[out];
            for (int o = 0; o < out; o++) {
                scale[o] = gamma[o] / Math.sqrt(var[o] + UNetTopology.BN_EPS);
                bias[o] = (float) ((bias[o] - mean[o]) * scale[o] + beta[o]);
            }
            long[] sh = weights.shape(); // [out, in, kH, kW] or [in, out, kH, kW]
            int kk = (int) (sh[2] * sh[3]);
            for (int i = 0; i < wv.length; i++) {
                wv[i] = (float) (wv[i] * scale[(int) (outAxis == 0 ? i / kk / sh[1] : i / kk % sh[1])]);
            }
            folded.add(name);
        }
        long[] shape = weights.shape();
        String[] skip = skips.remove(x);
        if (skip == null && form == ConvForms.Form.FROM_POINT) {
            return ConvForms.fromPoint(g, name, v(x), wv, bias, shape); // its bias repeated per pixel
        }
        String b = g.floats(name + "_b", bias, out);
        if (skip == null) {
            return form == ConvForms.Form.TAPS
                    ? ConvForms.taps(g, name, v(x), wv, shape, b)
                    : g.node(op, List.of(v(x), g.floats(name + "_W", wv, shape), b), attrs);
        }
        // [skip | own] along the input channels: the first half of the input axis is the skip's. Every skip
        // concatenation of the course UNet joins halves (e3 | u0: 2D | 2D; e2 | u1 and e1 | u2: D | D), and
        // PackExporterParityTest checks the split graph against the training step.
        int inAxis = 1 - outAxis;
        long[] half = shape.clone();
        half[inAxis] /= 2;
        float[][] parts = ConvForms.splitInput(wv, shape, inAxis);
        String s = g.node(op, List.of(skip[0], g.floats(name + "_W_skip", parts[0], half)), attrs);
        String own = g.node(op, List.of(skip[1], g.floats(name + "_W_own", parts[1], half), b), attrs);
        return g.node("Add", List.of(own, gather(s)));
    }

    /** The batch norm was folded into the convolution of its name (every batch norm of the topology follows one). */
    @Override
    public String bnGelu(String name, String x, int channels) {
        if (!folded.contains(name)) {
            throw new IllegalStateException("batch norm " + name + " follows no convolution of its name");
        }
        return gelu(x);
    }

    @Override
    public String avgPool(String x) {
        String out = g.node("GlobalAveragePool", List.of(v(x)));
        points.add(out);
        return out;
    }

    @Override
    public String gelu(String x) {
        String out = g.node("Gelu", List.of(v(x)), "approximate", "none");
        if (points.contains(x)) { // still 1 x 1
            points.add(out);
        }
        return out;
    }

    @Override
    public String linear(String name, String x, int in, int out) {
        return g.node("Gemm", List.of(v(x), weight(name + "_W"), flat(name + "_b")));
    }

    /**
     * A per-row encoder value (a skip) before the decoder's own value is not written: the convolution that takes it
     * splits over the two (see the class comment).
     */
    @Override
    public String concat(String a, String b) {
        if (perRow.containsKey(a) && !perRow.containsKey(b)) {
            String marker = "skip_concat_" + (skipCount++);
            skips.put(marker, new String[] {perRow.get(a), b});
            return marker;
        }
        return g.node("Concat", List.of(v(a), v(b)), "axis", 1);
    }

    /**
     * Class-conditioned graphs gather the encoder's values (one per sample) by {@code sample_index}, where a row
     * needs them: the gather is written when the value is used ({@link #v}), or after a split convolution.
     */
    @Override
    public String perRow(String encoded) {
        if (!shared()) {
            return encoded;
        }
        String name = "per_row_" + encoded;
        perRow.put(name, encoded);
        return name;
    }

    /** The value a name stands for, its gather written the first time a per-row value is used. */
    private String v(String x) {
        if (skips.containsKey(x)) {
            throw new IllegalStateException("a skip concatenation is taken only by a convolution: " + x);
        }
        String encoded = perRow.get(x);
        return encoded == null ? x : gathered.computeIfAbsent(x, k -> gather(encoded));
    }

    private String gather(String perSample) {
        if (!indexed) {
            g.input(SAMPLE_INDEX, OnnxMl.TensorProto.DataType.INT64, -1);
            indexed = true;
        }
        return g.node("Gather", List.of(perSample, SAMPLE_INDEX), "axis", 0);
    }

    private boolean shared() {
        return spec.architecture() == Architecture.CLASS_CONDITIONED;
    }

    @Override
    public String condition(String k, String h, String scale, String shift, int channels) {
        String tk = g.node("Unsqueeze", List.of(shift, g.longs("axes23_t" + k, 2, 3)));
        String out = v(h);
        if (scale != null) {
            String ck = g.node("Unsqueeze", List.of(scale, g.longs("axes23_c" + k, 2, 3)));
            out = g.node("Mul", List.of(out, ck));
        }
        return g.node("Add", List.of(out, tk));
    }

    /** A per-channel vector ([C] or [1, C, 1, 1] in DL4J), flattened. */
    private float[] vector(String name) {
        return w.get(name).dup('c').data().asFloat();
    }

    private String weight(String name) {
        INDArray a = w.get(name).dup('c');
        return g.floats(name, a.data().asFloat(), a.shape());
    }

    /** A per-channel vector ([C] or [1, C, 1, 1] in DL4J) as ONNX [C]. */
    private String flat(String name) {
        float[] values = vector(name);
        return g.floats(name, values, values.length);
    }
}
