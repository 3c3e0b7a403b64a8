package io.campanile.textencoder;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.packs.Manifests;
import io.campanile.packs.ModelPack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A copy of a text-encoder pack whose initializers live in an ONNX external-data file beside the graph (as IF's
 * 19 GB T5 must), written the way {@code onnx.save_model(save_as_external_data=True)} writes them (initializers of
 * 1 KiB or more, 4 KiB aligned, in one file).
 */
final class ExternalDataPack {
    /** onnx.save_model's default: smaller initializers stay in the graph file. */
    private static final int SIZE_THRESHOLD = 1024;

    private ExternalDataPack() {}

    /** Writes pack {@code id} under {@code root} from {@code source}; returns its folder. */
    static Path write(ModelPack source, Path root, String id) throws IOException {
        Path dir = root.resolve(id);
        Files.createDirectories(dir);
        String graphFile = source.manifest().onnx();
        String dataFile = graphFile + ".data";
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(source.onnxFile()));
        GraphProto.Builder graph = model.getGraph().toBuilder();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            TensorProto t = graph.getInitializer(i);
            if (t.getRawData().size() < SIZE_THRESHOLD) {
                continue; // small constants (shapes, axes) stay inline: shape inference reads them
            }
            while (data.size() % 4096 != 0) {
                data.write(0);
            }
            byte[] raw = t.getRawData().toByteArray();
            long offset = data.size();
            data.write(raw, 0, raw.length);
            graph.setInitializer(
                    i,
                    t.toBuilder()
                            .clearRawData()
                            .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                            .addExternalData(entry("location", dataFile))
                            .addExternalData(entry("offset", Long.toString(offset)))
                            .addExternalData(entry("length", Integer.toString(raw.length)))
                            .build());
        }
        if (data.size() == 0) {
            throw new IllegalStateException(source.onnxFile() + " has no raw_data initializers to move");
        }
        Files.write(dir.resolve(dataFile), data.toByteArray());
        Files.write(
                dir.resolve(graphFile),
                model.toBuilder().setGraph(graph).build().toByteArray());
        String tokenizer = source.manifest().tokenizer();
        Files.copy(source.dir().resolve(tokenizer), dir.resolve(tokenizer), StandardCopyOption.REPLACE_EXISTING);
        ObjectMapper json = new ObjectMapper();
        ObjectNode m =
                (ObjectNode) json.readTree(source.dir().resolve(Manifests.FILE).toFile());
        m.put("id", id);
        m.put("description", source.manifest().description() + " Weights as ONNX external data.");
        json.writeValue(dir.resolve(Manifests.FILE).toFile(), m);
        Manifests.read(dir);
        return dir;
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
