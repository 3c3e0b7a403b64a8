package io.campanile.trainer.inference;

import ai.onnx.proto.OnnxMl;
import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.schedule.BetaSchedule;
import io.campanile.diffusion.schedule.VarianceType;
import io.campanile.packs.Manifests;
import io.campanile.packs.PackManifest;
import io.campanile.packs.PackManifest.Conditioning;
import io.campanile.packs.PackManifest.Kind;
import io.campanile.packs.PackManifest.Output;
import io.campanile.contracts.jobs.Architecture;
import io.campanile.trainer.model.TrainParams;
import io.campanile.trainer.model.UNetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exports a trained time- or class-conditioned UNet as a model pack: {@code unet.onnx} (the graph built here for the
 * course architecture, the trained weights and running statistics as initializers) and {@code manifest.json}.
 *
 * <p>Graph interface (as the stage-1 worker serves class packs): {@code sample} float [B, 1, 28, 28] in the [0, 1]
 * range's noise space, {@code timestep} int64 [B] (0..T-1; the graph feeds t / T), {@code class_vector} float [B, 10]
 * one-hot or zeros (class-conditioned only); {@code out_sample} float [B, 1, 28, 28], the predicted epsilon.
 * Manifest: linear betas 1e-4..0.02 over T steps, fixed_large variance (sqrt(beta_t) z), no thresholding.
 */
public final class PackExporter {
    public static final String ONNX_FILE = "unet.onnx";

    private final Map<String, INDArray> w;
    private final OnnxGraph g = new OnnxGraph("campanile_mnist_unet");

    private PackExporter(Map<String, INDArray> weights) {
        this.w = weights;
    }

    /** Writes the pack into {@code dir} (the manifest last). */
    public static void export(UNetModel model, TrainParams params, String packId, Path dir) throws IOException {
        UNetSpec spec = model.spec();
        if (!spec.architecture().isDiffusion()) {
            throw new IllegalArgumentException("only time- or class-conditioned UNets become model packs");
        }
        byte[] onnx = onnxBytes(model, params.numTimesteps());
        Files.createDirectories(dir);
        Files.write(dir.resolve(ONNX_FILE), onnx);
        boolean cls = spec.architecture() == Architecture.CLASS_CONDITIONED;
        PackManifest m = new PackManifest(packId, Kind.UNET, ONNX_FILE, UNetSpec.SIZE, 1, ValueRange.ZERO_ONE,
                new PackManifest.SchedulerConfig(BetaSchedule.LINEAR, params.numTimesteps(), VarianceType.FIXED_LARGE,
                        false, null, null, 1e-4, 0.02),
                cls ? Conditioning.CLASS : Conditioning.NONE, cls ? List.of(1, spec.numClasses()) : List.of(1, 1),
                Output.EPSILON, null,
                "MNIST " + spec.architecture().wireName() + " UNet (CS180 part B), D=" + spec.hiddenDim() + ", "
                        + params.epochs() + " epochs, trained by the campanile trainer (seed " + params.seed() + ")",
                cls ? IntStream.range(0, spec.numClasses()).mapToObj(Integer::toString).toList() : null);
        Manifests.write(dir, m);
    }

    /** The ONNX model of a trained time- or class-conditioned UNet. */
    public static byte[] onnxBytes(UNetModel model, int numTimesteps) {
        PackExporter e = new PackExporter(model.weights());
        e.build(model.spec(), numTimesteps);
        return e.g.toModelBytes("campanile-trainer");
    }

    private void build(UNetSpec spec, int numTimesteps) {
        boolean cls = spec.architecture() == Architecture.CLASS_CONDITIONED;
        g.input("sample", OnnxMl.TensorProto.DataType.FLOAT, -1, 1, UNetSpec.SIZE, UNetSpec.SIZE);
        g.input("timestep", OnnxMl.TensorProto.DataType.INT64, -1);
        if (cls) {
            g.input("class_vector", OnnxMl.TensorProto.DataType.FLOAT, -1, spec.numClasses());
        }
        // t / T as [B, 1]
        String tf = g.node("Cast", List.of("timestep"), "to", OnnxMl.TensorProto.DataType.FLOAT.getNumber());
        String tn = g.node("Div", List.of(tf, g.floats("T", new float[] {numTimesteps})));
        String t = g.node("Unsqueeze", List.of(tn, g.longs("axis1", 1)));
        String e1 = convBlock("e1", "sample");
        String e2 = convBlock("e2", bnGelu("e2_down", conv("e2_down", e1, 2)));
        String e3 = convBlock("e3", bnGelu("e3_down", conv("e3_down", e2, 2)));
        String flat = gelu(g.node("GlobalAveragePool", List.of(e3)));
        String u0 = bnGelu("u0", deconv("u0", flat, 7, 7, 0));
        u0 = condition(u0, "1", t, cls ? "class_vector" : null);
        String u1 = upBlock("u1", g.node("Concat", List.of(e3, u0), "axis", 1));
        u1 = condition(u1, "2", t, cls ? "class_vector" : null);
        String u2 = upBlock("u2", g.node("Concat", List.of(e2, u1), "axis", 1));
        String u3 = convBlock("u3", g.node("Concat", List.of(e1, u2), "axis", 1));
        conv("out", u3, 1);
        g.renameLastOutput("out_sample");
        g.output("out_sample", -1, 1, UNetSpec.SIZE, UNetSpec.SIZE);
    }

    private String condition(String h, String k, String t, String c) {
        String tk = g.node("Unsqueeze", List.of(fcBlock("fc_t" + k, t), g.longs("axes23_t" + k, 2, 3)));
        if (c != null) {
            String ck = g.node("Unsqueeze", List.of(fcBlock("fc_c" + k, c), g.longs("axes23_c" + k, 2, 3)));
            h = g.node("Mul", List.of(h, ck));
        }
        return g.node("Add", List.of(h, tk));
    }

    private String convBlock(String name, String x) {
        String h = bnGelu(name + "_a", conv(name + "_a", x, 1));
        return bnGelu(name + "_b", conv(name + "_b", h, 1));
    }

    private String upBlock(String name, String x) {
        return convBlock(name, bnGelu(name + "_up", deconv(name + "_up", x, 4, 2, 1)));
    }

    private String fcBlock(String name, String x) {
        String h = gelu(g.node("Gemm", List.of(x, weight(name + "_1_W"), flat(name + "_1_b"))));
        return g.node("Gemm", List.of(h, weight(name + "_2_W"), flat(name + "_2_b")));
    }

    /** Conv k3 p1; DL4J weights [kH, kW, in, out] become ONNX [out, in, kH, kW]. */
    private String conv(String name, String x, int stride) {
        String wName = permuted(name + "_W");
        return g.node("Conv", List.of(x, wName, flat(name + "_b")), "kernel_shape", new long[] {3, 3},
                "strides", new long[] {stride, stride}, "pads", new long[] {1, 1, 1, 1});
    }

    /** ConvTranspose; DL4J weights [kH, kW, out, in] become ONNX [in, out, kH, kW]. */
    private String deconv(String name, String x, int k, int stride, int pad) {
        String wName = permuted(name + "_W");
        return g.node("ConvTranspose", List.of(x, wName, flat(name + "_b")), "kernel_shape", new long[] {k, k},
                "strides", new long[] {stride, stride}, "pads", new long[] {pad, pad, pad, pad});
    }

    private String bnGelu(String name, String x) {
        String y = g.node("BatchNormalization", List.of(x, flat(name + "_gamma"), flat(name + "_beta"),
                flat(name + "_rmean"), flat(name + "_rvar")), "epsilon", (float) UNetGraph.BN_EPS);
        return gelu(y);
    }

    private String gelu(String x) {
        return g.node("Gelu", List.of(x), "approximate", "none");
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
