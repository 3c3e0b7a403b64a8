package io.campanile.packs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.schedule.BetaSchedule;
import io.campanile.diffusion.schedule.VarianceType;
import io.campanile.packs.PackManifest.Conditioning;
import io.campanile.packs.PackManifest.Kind;
import io.campanile.packs.PackManifest.Output;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestsTest {
    static final Path SHIPPED = Path.of("..", "..", "packs");

    @TempDir
    Path dir;

    static PackManifest unet(String id, ValueRange valueRange) {
        return new PackManifest(
                id,
                Kind.UNET,
                "unet.onnx",
                28,
                1,
                valueRange,
                new PackManifest.SchedulerConfig(
                        BetaSchedule.LINEAR, 300, VarianceType.FIXED_LARGE, false, null, null, 1e-4, 0.02),
                Conditioning.CLASS,
                List.of(1, 10),
                Output.EPSILON,
                null,
                "test",
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                null,
                null);
    }

    @Test
    void aWrittenManifestReadsBackEqual() throws Exception {
        PackManifest m = unet("mnist", ValueRange.ZERO_ONE);
        Manifests.write(dir.resolve("mnist"), m);
        assertEquals(m, Manifests.read(dir.resolve("mnist")));
        assertTrue(
                !Files.readString(dir.resolve("mnist/manifest.json")).contains("\"unet\" :"),
                "derived isUnet() is not written");
    }

    @Test
    void theChoicesAreWrittenWithTheFilesNames() throws Exception {
        Manifests.write(dir.resolve("mnist"), unet("mnist", ValueRange.ZERO_ONE));
        String json = Files.readString(dir.resolve("mnist/manifest.json"));
        for (String field : List.of(
                "\"kind\" : \"unet\"",
                "\"value_range\" : \"[0,1]\"",
                "\"conditioning\" : \"class\"",
                "\"output\" : \"epsilon\"",
                "\"beta_schedule\" : \"linear\"",
                "\"variance_type\" : \"fixed_large\"")) {
            assertTrue(json.contains(field), field + " in " + json);
        }
    }

    @Test
    void theShippedManifestsReadAndWriteBackUnchanged() throws Exception {
        assumeTrue(Files.isDirectory(SHIPPED), "no packs folder in this checkout");
        List<Path> files;
        try (Stream<Path> s = Files.list(SHIPPED)) {
            files = s.map(d -> d.resolve(Manifests.FILE))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
        assertTrue(files.size() >= 4, "shipped manifests: " + files);
        for (Path file : files) {
            assertEquals(
                    Files.readString(file).strip(),
                    Manifests.toJson(Manifests.read(file.getParent())).strip(),
                    file.toString());
        }
    }

    @Test
    void anInvalidFieldIsNamed() {
        PackException e =
                assertThrows(PackException.class, () -> Manifests.write(dir.resolve("bad"), unet("bad", null)));
        assertEquals(dir.resolve("bad/manifest.json") + ": value_range must be [-1,1] or [0,1]", e.getMessage());
    }

    @Test
    void aNameOutsideTheFormatGetsTheMessageOfItsField() throws Exception {
        Manifests.write(dir.resolve("good"), unet("good", ValueRange.ZERO_ONE));
        String good = Files.readString(dir.resolve("good/manifest.json"));
        List<List<String>> cases = List.of(
                List.of("\"kind\" : \"unet\"", "\"kind\" : \"vae\"", "kind must be unet or text-encoder"),
                List.of("\"[0,1]\"", "\"[0,255]\"", "value_range must be [-1,1] or [0,1]"),
                // the aliases ValueRange.parse and VarianceType.parse take are not manifest names
                List.of("\"[0,1]\"", "\"zero_one\"", "value_range must be [-1,1] or [0,1]"),
                List.of("\"class\"", "\"CLASS\"", "conditioning must be t5, class or none"),
                List.of(
                        "\"output\" : \"epsilon\"",
                        "\"output\" : \"x0\"",
                        "output must be epsilon or epsilon_variance"),
                List.of("\"linear\"", "\"Linear\"", "scheduler.beta_schedule must be squaredcos_cap_v2 or linear"),
                List.of(
                        "\"fixed_large\"",
                        "\"fixed\"",
                        "scheduler.variance_type must be learned_range, fixed_small or fixed_large"));
        for (List<String> c : cases) {
            assertTrue(good.contains(c.get(0)), c.get(0));
            Path bad = dir.resolve("bad");
            Files.createDirectories(bad);
            Files.writeString(bad.resolve(Manifests.FILE), good.replace(c.get(0), c.get(1)));
            PackException e = assertThrows(PackException.class, () -> Manifests.read(bad), c.get(1));
            assertEquals(bad.resolve(Manifests.FILE) + ": " + c.get(2), e.getMessage());
        }
    }

    @Test
    void learnedRangeNeedsTheLearnedVarianceOutput() {
        PackManifest m = unet("v", ValueRange.ZERO_ONE);
        PackManifest.SchedulerConfig s = m.scheduler();
        PackManifest learned = new PackManifest(
                m.id(),
                m.kind(),
                m.onnx(),
                m.imageSize(),
                m.channels(),
                m.valueRange(),
                new PackManifest.SchedulerConfig(
                        s.betaSchedule(),
                        s.numTrainTimesteps(),
                        VarianceType.LEARNED_RANGE,
                        false,
                        null,
                        null,
                        null,
                        null),
                m.conditioning(),
                m.embeddingShape(),
                Output.EPSILON,
                null,
                null,
                m.classLabels());
        PackException e = assertThrows(PackException.class, () -> Manifests.validate(learned, "here"));
        assertEquals("here: scheduler.variance_type learned_range needs output epsilon_variance", e.getMessage());
    }

    @Test
    void theNamesAreTheFormatsExactly() {
        assertEquals(ValueRange.MINUS_ONE_ONE, ManifestNames.valueRange("[-1,1]"));
        assertNull(ManifestNames.valueRange("minus_one_one"));
        assertEquals(BetaSchedule.SQUAREDCOS_CAP_V2, ManifestNames.betaSchedule("squaredcos_cap_v2"));
        assertEquals(VarianceType.FIXED_SMALL, ManifestNames.varianceType("fixed_small"));
        assertNull(ManifestNames.varianceType("fixed"));
        assertEquals(Kind.TEXT_ENCODER, Kind.fromWire("text-encoder"));
        assertEquals("text-encoder", Kind.TEXT_ENCODER.toString());
        assertNull(Conditioning.fromWire("T5"));
        assertEquals(Output.EPSILON_VARIANCE, Output.fromWire("epsilon_variance"));
    }

    @Test
    void theRegistrySkipsABrokenPackAndKeepsTheOthers() throws Exception {
        Manifests.write(dir.resolve("good"), unet("good", ValueRange.ZERO_ONE));
        Files.createDirectories(dir.resolve("broken"));
        Files.writeString(dir.resolve("broken/manifest.json"), "{\"id\": \"broken\", \"kind\": \"vae\"}");
        PackRegistry r = PackRegistry.scan(dir);
        assertEquals(List.of("good"), r.all().stream().map(ModelPack::id).toList());
        assertEquals(1, r.problems().size());
        assertTrue(r.find("good").isPresent());
        assertTrue(!r.get("good").installed(), "no unet.onnx in the folder");
    }
}
