package io.campanile.trainer.inference;

import io.campanile.contracts.jobs.Architecture;
import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.schedule.BetaSchedule;
import io.campanile.diffusion.schedule.VarianceType;
import io.campanile.packs.Manifests;
import io.campanile.packs.PackManifest;
import io.campanile.packs.PackManifest.Conditioning;
import io.campanile.packs.PackManifest.Kind;
import io.campanile.packs.PackManifest.Output;
import io.campanile.trainer.model.TrainParams;
import io.campanile.trainer.model.UNetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Exports a trained time- or class-conditioned UNet as a model pack: {@code unet.onnx} ({@link OnnxUNet}: the course
 * architecture's graph, the trained weights and running statistics as initializers) and {@code manifest.json}.
 *
 * <p>Graph interface (as the stage-1 worker serves class packs): {@code sample} float [B, 1, 28, 28] in the [0, 1]
 * range's noise space, {@code timestep} int64 [B] (0..T-1; the graph feeds t / T), {@code class_vector} float [B, 10]
 * one-hot or zeros (class-conditioned only); {@code out_sample} float [B, 1, 28, 28], the predicted epsilon.
 * Manifest: linear betas 1e-4..0.02 over T steps, fixed_large variance (sqrt(beta_t) z), no thresholding. A
 * class-conditioned graph also takes {@code sample_index} int64 [B] with {@code sample} holding the distinct samples
 * [M, 1, 28, 28]: classifier-free guidance's two rows of an image share one run of the encoder ({@link OnnxUNet}).
 */
public final class PackExporter {
    public static final String ONNX_FILE = "unet.onnx";

    private PackExporter() {}

    /** Writes the pack into {@code dir} (the manifest last), with float weights. */
    public static void export(UNetModel model, TrainParams params, String packId, Path dir) throws IOException {
        export(model, params, packId, dir, WeightFormat.FP32);
    }

    /**
     * Writes the pack into {@code dir} (the manifest last), its weights stored in {@code format}: float16 halves the
     * graph, int8 quarters it; it computes in float all the same.
     */
    public static void export(UNetModel model, TrainParams params, String packId, Path dir, WeightFormat format)
            throws IOException {
        UNetSpec spec = model.spec();
        if (!spec.architecture().isDiffusion()) {
            throw new IllegalArgumentException("only time- or class-conditioned UNets become model packs");
        }
        byte[] onnx = OnnxUNet.modelBytes(spec, model.weights(), params.numTimesteps(), format);
        String description = "MNIST " + spec.architecture().wireName() + " UNet (CS180 part B), D=" + spec.hiddenDim()
                + ", " + params.epochs() + " epochs, trained by the campanile trainer (seed " + params.seed() + ")"
                + format.description();
        write(dir, onnx, manifest(spec, params.numTimesteps(), packId, description));
    }

    /** Writes a pack's graph and manifest into {@code dir} (the manifest last). */
    static void write(Path dir, byte[] onnx, PackManifest m) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(ONNX_FILE), onnx);
        Manifests.write(dir, m);
    }

    /** The manifest of an exported time- or class-conditioned UNet with T = {@code numTimesteps}. */
    static PackManifest manifest(UNetSpec spec, int numTimesteps, String packId, String description) {
        boolean cls = spec.architecture() == Architecture.CLASS_CONDITIONED;
        return new PackManifest(
                packId,
                Kind.UNET,
                ONNX_FILE,
                UNetSpec.SIZE,
                1,
                ValueRange.ZERO_ONE,
                new PackManifest.SchedulerConfig(
                        BetaSchedule.LINEAR, numTimesteps, VarianceType.FIXED_LARGE, false, null, null, 1e-4, 0.02),
                cls ? Conditioning.CLASS : Conditioning.NONE,
                cls ? List.of(1, spec.numClasses()) : List.of(1, 1),
                Output.EPSILON,
                null,
                description,
                cls
                        ? IntStream.range(0, spec.numClasses())
                                .mapToObj(Integer::toString)
                                .toList()
                        : null);
    }

    /** The ONNX model of a trained time- or class-conditioned UNet ({@link OnnxUNet}). */
    public static byte[] onnxBytes(UNetModel model, int numTimesteps) {
        return OnnxUNet.modelBytes(model.spec(), model.weights(), numTimesteps, WeightFormat.FP32);
    }
}
