package io.campanile.testpacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.campanile.packs.ModelPack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The graphs read back as protobuf, without ONNX Runtime: signatures, opset, external data. */
class GraphSignatureTest {
    private static final String F = "float";
    private static final String L = "int64";

    @TempDir
    static Path root;

    static Map<String, ModelPack> packs;

    @BeforeAll
    static void install() {
        packs = TestPacks.installAll(root).stream().collect(Collectors.toMap(ModelPack::id, p -> p));
    }

    @Test
    void stage1Signature() throws Exception {
        for (String id : List.of("test-if-stage1", "test-if-stage1-external", "bench-if-stage1")) {
            ModelProto m = load(id);
            assertEquals(
                    List.of(
                            "sample float[batch,3,64,64]",
                            "timestep int64[batch]",
                            "encoder_hidden_states float[batch,77,4096]"),
                    describe(m.getGraph().getInputList()),
                    id);
            assertEquals(
                    List.of("out_sample float[batch,6,64,64]"),
                    describe(m.getGraph().getOutputList()),
                    id);
        }
    }

    @Test
    void stage2Signature() throws Exception {
        ModelProto m = load("test-if-stage2");
        assertEquals(
                List.of(
                        "sample float[batch,6,256,256]",
                        "timestep int64[batch]",
                        "encoder_hidden_states float[batch,77,4096]",
                        "class_labels int64[batch]"),
                describe(m.getGraph().getInputList()));
        assertEquals(
                List.of("out_sample float[batch,6,256,256]"),
                describe(m.getGraph().getOutputList()));
    }

    @Test
    void mnistAndUnconditionalSignatures() throws Exception {
        ModelProto m = load("test-mnist-class");
        assertEquals(
                List.of(
                        "sample float[samples,1,28,28]",
                        "sample_index int64[batch]",
                        "timestep int64[batch]",
                        "class_vector float[batch,10]"),
                describe(m.getGraph().getInputList()));
        assertEquals(
                List.of("out_sample float[batch,1,28,28]"),
                describe(m.getGraph().getOutputList()));
        ModelProto u = load("test-unconditional");
        assertEquals(
                List.of("sample float[batch,3,32,32]", "timestep int64[batch]"),
                describe(u.getGraph().getInputList()));
        assertEquals(
                List.of("out_sample float[batch,3,32,32]"),
                describe(u.getGraph().getOutputList()));
    }

    @Test
    void t5Signature() throws Exception {
        ModelProto m = load("test-t5-encoder");
        assertEquals(
                List.of("input_ids int64[batch,77]", "attention_mask int64[batch,77]"),
                describe(m.getGraph().getInputList()));
        assertEquals(
                List.of("last_hidden_state float[batch,77,4096]"),
                describe(m.getGraph().getOutputList()));
    }

    @Test
    void everyGraphImportsOpset17OfTheDefaultDomain() throws Exception {
        for (String id : packs.keySet()) {
            ModelProto m = load(id);
            assertEquals(1, m.getOpsetImportCount(), id);
            assertEquals("", m.getOpsetImport(0).getDomain(), id);
            assertEquals(17, m.getOpsetImport(0).getVersion(), id);
            assertEquals(8, m.getIrVersion(), id);
        }
    }

    @Test
    void externalPackKeepsItsWeightsInTheDataFile() throws Exception {
        ModelPack p = packs.get("test-if-stage1-external");
        Path data = p.dir().resolve("unet.onnx.data");
        long size = Files.size(data);
        List<TensorProto> external = load(p.id()).getGraph().getInitializerList().stream()
                .filter(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL)
                .toList();
        assertFalse(external.isEmpty());
        for (TensorProto t : external) {
            Map<String, String> kv =
                    t.getExternalDataList().stream().collect(Collectors.toMap(e -> e.getKey(), e -> e.getValue()));
            assertEquals("unet.onnx.data", kv.get("location"), t.getName());
            long offset = Long.parseLong(kv.get("offset"));
            long length = Long.parseLong(kv.get("length"));
            long elements = t.getDimsList().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
            assertEquals(4 * elements, length, t.getName());
            assertTrue(offset % 4096 == 0 && offset + length <= size, t.getName() + " at " + offset);
            assertTrue(t.getRawData().isEmpty(), t.getName());
        }
        assertTrue(external.stream().anyMatch(t -> t.getDimsList().equals(List.of(4096L, 3L))));
        assertTrue(load("test-if-stage1").getGraph().getInitializerList().stream()
                .noneMatch(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL));
        assertTrue(Files.size(p.onnxFile()) < 10_000, "graph without its weights: " + Files.size(p.onnxFile()));
    }

    private static ModelProto load(String id) throws Exception {
        return ModelProto.parseFrom(Files.readAllBytes(packs.get(id).onnxFile()));
    }

    private static List<String> describe(List<ValueInfoProto> values) {
        return values.stream().map(GraphSignatureTest::describe).toList();
    }

    private static String describe(ValueInfoProto v) {
        int type = v.getType().getTensorType().getElemType();
        String name = type == TensorProto.DataType.FLOAT_VALUE
                ? F
                : type == TensorProto.DataType.INT64_VALUE ? L : "type" + type;
        String dims = v.getType().getTensorType().getShape().getDimList().stream()
                .map(GraphSignatureTest::dim)
                .collect(Collectors.joining(","));
        return v.getName() + " " + name + "[" + dims + "]";
    }

    private static String dim(TensorShapeProto.Dimension d) {
        return d.hasDimParam() ? d.getDimParam() : Long.toString(d.getDimValue());
    }
}
