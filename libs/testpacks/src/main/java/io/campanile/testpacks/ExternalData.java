package io.campanile.testpacks;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.ByteArrayOutputStream;

/**
 * Moves large initializers of a model into an ONNX external-data file, as {@code onnx.save_model(...,
 * save_as_external_data=True, all_tensors_to_one_file=True)} does: each moved tensor keeps its name, type and dims,
 * loses its {@code raw_data}, and gets {@code data_location = EXTERNAL} with {@code location}, {@code offset} and
 * {@code length} entries. Offsets are aligned to {@value #ALIGN} bytes so ONNX Runtime can memory-map them.
 *
 * @param model the model whose graph refers to the external file
 * @param data the external file's bytes
 */
record ExternalData(ModelProto model, byte[] data) {
    /** Alignment of every tensor in the data file. */
    static final int ALIGN = 4096;

    /**
     * Splits {@code model}: initializers whose {@code raw_data} has at least {@code threshold} bytes go to the file
     * named {@code location} (relative to the graph file).
     */
    static ExternalData split(ModelProto model, String location, int threshold) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GraphProto.Builder graph = model.getGraph().toBuilder();
        int moved = 0;
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            TensorProto tensor = graph.getInitializer(i);
            if (tensor.getRawData().size() < threshold) {
                continue;
            }
            while (out.size() % ALIGN != 0) {
                out.write(0);
            }
            long offset = out.size();
            byte[] raw = tensor.getRawData().toByteArray();
            out.write(raw, 0, raw.length);
            graph.setInitializer(
                    i,
                    tensor.toBuilder()
                            .clearRawData()
                            .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                            .addExternalData(entry("location", location))
                            .addExternalData(entry("offset", Long.toString(offset)))
                            .addExternalData(entry("length", Integer.toString(raw.length)))
                            .build());
            moved++;
        }
        if (moved == 0) {
            throw new IllegalArgumentException(
                    "no initializer of " + model.getGraph().getName() + " has " + threshold
                            + " bytes or more: nothing to store as external data");
        }
        return new ExternalData(model.toBuilder().setGraph(graph).build(), out.toByteArray());
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
