package io.campanile.testpacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.schedule.BetaSchedule;
import io.campanile.diffusion.schedule.VarianceType;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackManifest;
import io.campanile.packs.PackManifest.Conditioning;
import io.campanile.packs.PackManifest.Kind;
import io.campanile.packs.PackManifest.Output;
import io.campanile.packs.PackRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installation: folders, manifests as the task describes them, idempotence. */
class TestPacksTest {
    @TempDir
    static Path root;

    static List<ModelPack> installed;

    @BeforeAll
    static void install() {
        installed = TestPacks.installAll(root);
    }

    @Test
    void everyPackIsFoundByTheRegistry() {
        PackRegistry registry = PackRegistry.scan(root);
        assertEquals(List.of(), registry.problems());
        assertEquals(
                List.of(
                        "bench-if-stage1",
                        "test-if-stage1",
                        "test-if-stage1-external",
                        "test-if-stage2",
                        "test-mnist-class",
                        "test-t5-encoder",
                        "test-unconditional"),
                registry.all().stream().map(ModelPack::id).toList());
        for (ModelPack p : installed) {
            assertEquals(root.resolve(p.id()), p.dir());
            assertTrue(p.installed(), p.id());
            assertEquals(registry.get(p.id()).manifest(), p.manifest());
        }
    }

    @Test
    void ifStagesDescribeTheirSchedulerAndConditioning() {
        PackManifest s1 = TestPacks.stage1(root).manifest();
        assertEquals(Kind.UNET, s1.kind());
        assertEquals(64, s1.imageSize());
        assertEquals(3, s1.channels());
        assertEquals(ValueRange.MINUS_ONE_ONE, s1.valueRange());
        assertEquals(
                new PackManifest.SchedulerConfig(
                        BetaSchedule.SQUAREDCOS_CAP_V2, 1000, VarianceType.LEARNED_RANGE, true, 0.95, 1.5, null, null),
                s1.scheduler());
        assertEquals(Conditioning.T5, s1.conditioning());
        assertEquals(List.of(77, 4096), s1.embeddingShape());
        assertEquals(Output.EPSILON_VARIANCE, s1.output());
        assertTrue(s1.description().startsWith("Test pack"), s1.description());
        PackManifest s2 = TestPacks.stage2(root).manifest();
        assertEquals(256, s2.imageSize());
        assertEquals(1.0, s2.scheduler().sampleMaxValue());
        assertEquals(6, s2.outputChannels());
        assertTrue(s2.isUpscaler());
        assertFalse(s1.isUpscaler());
    }

    @Test
    void mnistAndUnconditionalUseLinearSchedules() {
        PackManifest m = TestPacks.mnistClass(root).manifest();
        assertEquals(
                new PackManifest.SchedulerConfig(
                        BetaSchedule.LINEAR, 300, VarianceType.FIXED_LARGE, false, null, null, 1e-4, 0.02),
                m.scheduler());
        assertEquals(List.of(1, 10), m.embeddingShape());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), m.classLabels());
        assertEquals(ValueRange.ZERO_ONE, m.valueRange());
        assertEquals(Output.EPSILON, m.output());
        PackManifest u = TestPacks.unconditional(root).manifest();
        assertEquals(Conditioning.NONE, u.conditioning());
        assertEquals(VarianceType.FIXED_SMALL, u.scheduler().varianceType());
        assertEquals(List.of(1, 1), u.embeddingShape());
        assertEquals(32, u.imageSize());
    }

    @Test
    void textEncoderCarriesTheT5Tokenizer() throws Exception {
        ModelPack t5 = TestPacks.t5Encoder(root);
        assertEquals(Kind.TEXT_ENCODER, t5.manifest().kind());
        assertEquals("spiece.model", t5.manifest().tokenizer());
        assertNull(t5.manifest().imageSize());
        byte[] expected;
        try (InputStream in = getClass().getResourceAsStream("/io/campanile/text/spiece.model")) {
            expected = in.readAllBytes();
        }
        assertTrue(expected.length > 100_000);
        assertArrayEquals(expected, Files.readAllBytes(t5.dir().resolve("spiece.model")));
    }

    @Test
    void installingAgainWritesNothing(@TempDir Path other) throws Exception {
        TestPacks.installAll(other);
        Map<Path, FileTime> before = times(other);
        Thread.sleep(20);
        TestPacks.installAll(other);
        assertEquals(before, times(other));
    }

    @Test
    void aDamagedPackIsRewritten(@TempDir Path other) throws Exception {
        ModelPack p = TestPacks.stage1External(other);
        byte[] data = Files.readAllBytes(p.dir().resolve("unet.onnx.data"));
        Files.write(p.dir().resolve("unet.onnx.data"), new byte[] {1, 2, 3});
        assertNotEquals(data.length, Files.size(p.dir().resolve("unet.onnx.data")));
        TestPacks.stage1External(other);
        assertArrayEquals(data, Files.readAllBytes(p.dir().resolve("unet.onnx.data")));
    }

    @Test
    void mainInstallsIntoTheGivenFolder(@TempDir Path other) {
        TestPacks.main(new String[] {other.toString()});
        assertEquals(7, PackRegistry.scan(other).all().size());
    }

    private static Map<Path, FileTime> times(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .collect(Collectors.toMap(
                            p -> p,
                            p -> {
                                try {
                                    return Files.getLastModifiedTime(p);
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            },
                            (a, b) -> a,
                            TreeMap::new));
        }
    }
}
