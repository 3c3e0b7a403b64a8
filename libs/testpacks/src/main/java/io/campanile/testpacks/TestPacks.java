package io.campanile.testpacks;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.schedule.BetaSchedule;
import io.campanile.diffusion.schedule.VarianceType;
import io.campanile.packs.Manifests;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackException;
import io.campanile.packs.PackManifest;
import io.campanile.packs.PackManifest.Conditioning;
import io.campanile.packs.PackManifest.Kind;
import io.campanile.packs.PackManifest.Output;
import io.campanile.packs.PackManifest.SchedulerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Installs the test packs: small ONNX graphs, built in Java, with the inputs and outputs of the real models and
 * outputs that are known functions of their inputs ({@link TestFunctions}). Each method writes {@code <root>/<id>/}
 * (the graph, any external data, the tokenizer, then {@code manifest.json} last) and returns the pack; when the
 * folder already holds an identical manifest and identical files, nothing is written.
 *
 * <p>From a shell: {@code java -cp ... TestPacks <packs-dir>} installs them all.
 */
public final class TestPacks {
    public static final String STAGE1 = "test-if-stage1";
    public static final String STAGE1_EXTERNAL = "test-if-stage1-external";
    public static final String STAGE2 = "test-if-stage2";
    public static final String MNIST_CLASS = "test-mnist-class";
    public static final String UNCONDITIONAL = "test-unconditional";
    public static final String T5_ENCODER = "test-t5-encoder";
    public static final String BENCH = "bench-if-stage1";

    /** Graph file of the UNet packs, as written by {@code deploy/export/export_unet.py}. */
    public static final String UNET_FILE = "unet.onnx";
    /** Graph file of the text-encoder pack, as written by {@code deploy/export/export_text_encoder.py}. */
    public static final String TEXT_ENCODER_FILE = "text_encoder.onnx";
    /** Tokenizer file of the text-encoder pack. */
    public static final String TOKENIZER_FILE = "spiece.model";
    /** Classpath resource of the T5 SentencePiece model (module libs/text). */
    static final String TOKENIZER_RESOURCE = "/io/campanile/text/spiece.model";
    /** Initializers of at least this many bytes go to external data in {@value #STAGE1_EXTERNAL}. */
    static final int EXTERNAL_THRESHOLD = 1024;

    private static final List<Integer> T5_SHAPE = List.of(TestFunctions.T5_TOKENS, TestFunctions.T5_WIDTH);

    private TestPacks() {}

    /** {@value #STAGE1}: IF stage I shaped, {@link TestFunctions#stage1}. */
    public static ModelPack stage1(Path root) {
        return install(root, ifManifest(STAGE1, 64, 1.5, "stage I"), Map.of(UNET_FILE, bytes(TestGraphs.stage1(64))));
    }

    /** {@value #STAGE1_EXTERNAL}: {@value #STAGE1} with its large initializers in {@code unet.onnx.data}. */
    public static ModelPack stage1External(Path root) {
        String dataFile = UNET_FILE + ".data";
        ExternalData split = ExternalData.split(TestGraphs.stage1(64), dataFile, EXTERNAL_THRESHOLD);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(dataFile, split.data());
        files.put(UNET_FILE, bytes(split.model()));
        return install(root, ifManifest(STAGE1_EXTERNAL, 64, 1.5, "stage I, weights as ONNX external data"), files);
    }

    /** {@value #STAGE2}: IF stage II shaped (upscaler, class_labels = noise level), {@link TestFunctions#stage2}. */
    public static ModelPack stage2(Path root) {
        PackManifest m = ifManifest(STAGE2, 256, 1.0, "stage II");
        PackManifest upscaler = new PackManifest(
                m.id(),
                m.kind(),
                m.onnx(),
                m.imageSize(),
                m.channels(),
                m.valueRange(),
                m.scheduler(),
                m.conditioning(),
                m.embeddingShape(),
                m.output(),
                null,
                m.description(),
                null,
                null,
                true);
        return install(root, upscaler, Map.of(UNET_FILE, bytes(TestGraphs.stage2(256))));
    }

    /** {@value #MNIST_CLASS}: trainer-pack shaped, class conditioning, {@link TestFunctions#mnistClass}. */
    public static ModelPack mnistClass(Path root) {
        SchedulerConfig s =
                new SchedulerConfig(BetaSchedule.LINEAR, 300, VarianceType.FIXED_LARGE, false, null, null, 1e-4, 0.02);
        List<String> labels = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        PackManifest m = new PackManifest(
                MNIST_CLASS,
                Kind.UNET,
                UNET_FILE,
                28,
                1,
                ValueRange.ZERO_ONE,
                s,
                Conditioning.CLASS,
                List.of(1, 10),
                Output.EPSILON,
                null,
                describe("MNIST class-conditioned UNet", "eps = 0.5 x + sum_k 0.1 (k + 1) class_vector[k] + 0.001 t"),
                labels);
        return install(root, m, Map.of(UNET_FILE, bytes(TestGraphs.mnistClass())));
    }

    /** {@value #UNCONDITIONAL}: no conditioning, {@link TestFunctions#unconditional}. */
    public static ModelPack unconditional(Path root) {
        SchedulerConfig s =
                new SchedulerConfig(BetaSchedule.LINEAR, 1000, VarianceType.FIXED_SMALL, false, null, null, null, null);
        PackManifest m = new PackManifest(
                UNCONDITIONAL,
                Kind.UNET,
                UNET_FILE,
                32,
                3,
                ValueRange.MINUS_ONE_ONE,
                s,
                Conditioning.NONE,
                List.of(1, 1),
                Output.EPSILON,
                null,
                describe("unconditional UNet", "eps = 0.5 x + 0.001 t"),
                null);
        return install(root, m, Map.of(UNET_FILE, bytes(TestGraphs.unconditional())));
    }

    /** {@value #T5_ENCODER}: T5 XXL encoder shaped, {@link TestFunctions#t5}, with the real T5 tokenizer. */
    public static ModelPack t5Encoder(Path root) {
        PackManifest m = new PackManifest(
                T5_ENCODER,
                Kind.TEXT_ENCODER,
                TEXT_ENCODER_FILE,
                null,
                null,
                null,
                null,
                null,
                T5_SHAPE,
                null,
                TOKENIZER_FILE,
                describe("T5 v1.1 XXL encoder", "last_hidden_state = tanh(E[input_ids] W) * attention_mask"),
                null);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(TOKENIZER_FILE, tokenizer());
        files.put(TEXT_ENCODER_FILE, bytes(TestGraphs.t5Encoder()));
        return install(root, m, files);
    }

    /** {@value #BENCH}: stage-I signature with about 1.29 GFLOP of convolutions per image ({@link BenchGraph}). */
    public static ModelPack bench(Path root) {
        PackManifest m = ifManifest(BENCH, 64, 1.5, "stage I");
        PackManifest bench = new PackManifest(
                m.id(),
                m.kind(),
                m.onnx(),
                m.imageSize(),
                m.channels(),
                m.valueRange(),
                m.scheduler(),
                m.conditioning(),
                m.embeddingShape(),
                m.output(),
                null,
                "Benchmark pack, not a real model: IF stage I signature, three 3x3 conv layers "
                        + "(about 1.29 GFLOP per image) with fixed random weights.",
                null);
        return install(root, bench, Map.of(UNET_FILE, bytes(BenchGraph.build())));
    }

    /** Installs every test pack under {@code root}. */
    public static List<ModelPack> installAll(Path root) {
        return List.of(
                stage1(root),
                stage1External(root),
                stage2(root),
                mnistClass(root),
                unconditional(root),
                t5Encoder(root),
                bench(root));
    }

    /** Installs every test pack under {@code args[0]}. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: TestPacks <packs-dir>");
            System.exit(2);
        }
        for (ModelPack p : installAll(Path.of(args[0]))) {
            System.out.println(p.id() + " -> " + p.dir());
        }
    }

    private static PackManifest ifManifest(String id, int size, double sampleMax, String stage) {
        SchedulerConfig s = new SchedulerConfig(
                BetaSchedule.SQUAREDCOS_CAP_V2, 1000, VarianceType.LEARNED_RANGE, true, 0.95, sampleMax, null, null);
        String function = size == 256
                ? "eps = 0.5 x_t + 0.25 u + mean_tokens(ehs)[:3] + 0.001 t + 0.0001 class_labels, v = 0.5 tanh(x_t)"
                : "eps = 0.5 x + mean_tokens(ehs)[:3] + 0.001 t, v = 0.5 tanh(x)";
        return new PackManifest(
                id,
                Kind.UNET,
                UNET_FILE,
                size,
                3,
                ValueRange.MINUS_ONE_ONE,
                s,
                Conditioning.T5,
                T5_SHAPE,
                Output.EPSILON_VARIANCE,
                null,
                describe("DeepFloyd IF " + stage + " UNet", function),
                null);
    }

    private static String describe(String shapedLike, String function) {
        return "Test pack, not a real model: the inputs and outputs of the " + shapedLike + ", computing " + function
                + ".";
    }

    private static byte[] bytes(ModelProto model) {
        return model.toByteArray();
    }

    private static byte[] tokenizer() {
        try (InputStream in = TestPacks.class.getResourceAsStream(TOKENIZER_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        TOKENIZER_RESOURCE + " is not on the classpath (module io.campanile:text)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the pack unless the folder already holds exactly this manifest and these files. */
    private static ModelPack install(Path root, PackManifest manifest, Map<String, byte[]> files) {
        Path dir = root.resolve(manifest.id());
        if (identical(dir, manifest, files)) {
            return new ModelPack(dir, manifest);
        }
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve(Manifests.FILE));
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path tmp = dir.resolve(f.getKey() + "." + UUID.randomUUID() + ".tmp");
                Files.write(tmp, f.getValue());
                Files.move(
                        tmp,
                        dir.resolve(f.getKey()),
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
            ManifestFile.write(dir, manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write test pack " + dir, e);
        }
        return new ModelPack(dir, Manifests.read(dir));
    }

    private static boolean identical(Path dir, PackManifest manifest, Map<String, byte[]> files) {
        if (!Files.isRegularFile(dir.resolve(Manifests.FILE))) {
            return false;
        }
        try {
            if (!Manifests.read(dir).equals(manifest)) {
                return false;
            }
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path p = dir.resolve(f.getKey());
                if (!Files.isRegularFile(p)
                        || Files.size(p) != f.getValue().length
                        || !Arrays.equals(Files.readAllBytes(p), f.getValue())) {
                    return false;
                }
            }
            return true;
        } catch (PackException | IOException e) {
            return false;
        }
    }
}
