package io.campanile.trainer.inference;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * A small builder of ONNX graphs on the protobuf classes that tribuo-util-onnx ships ({@code OnnxMl}):
 * nodes with int/float/string/ints attributes, float (or float16 or int8 weights: {@link WeightFormat}) and int64
 * initializers, inputs and outputs with a symbolic batch dimension.
 */
final class OnnxGraph {
    static final int OPSET = 20; // Gelu is an ONNX operator from opset 20
    /** Initializers of at most this many values stay float whatever the weight format. */
    static final int HALF_MIN = 256;

    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private final WeightFormat format;
    private int counter;

    /** @param format how weights are stored ({@link #floats}) */
    OnnxGraph(String name, WeightFormat format) {
        graph.setName(name);
        this.format = format;
    }

    /** Adds a node; returns its (single) output name. */
    String node(String op, List<String> inputs, Object... attrs) {
        String out = op.toLowerCase() + "_" + (counter++);
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder()
                .setOpType(op)
                .setName(out)
                .addOutput(out)
                .addAllInput(inputs);
        for (int i = 0; i < attrs.length; i += 2) {
            n.addAttribute(attribute((String) attrs[i], attrs[i + 1]));
        }
        graph.addNode(n);
        return out;
    }

    /** Renames the output of the last node. */
    void renameLastOutput(String name) {
        int last = graph.getNodeCount() - 1;
        OnnxMl.NodeProto.Builder n = graph.getNodeBuilder(last);
        n.setOutput(0, name);
    }

    /**
     * A float initializer. Float16 and int8 weights apply to initializers of more than {@value #HALF_MIN} values;
     * smaller ones (most biases, scalars) stay float. Float16 is stored under {@code name_fp16} and cast back to float
     * by a Cast node named after it (ONNX Runtime folds the cast when it loads the graph, so the graph computes in float
     * on the rounded weights). Int8 applies to tensors of two or more axes: {@code name_q} int8 and {@code name_scale}
     * float (one scale per slice of the first axis; a one-axis tensor of more than {@value #HALF_MIN} values is stored
     * as float16), turned back into float by Cast and Mul nodes, which ONNX Runtime
     * folds at load like the float16 cast (a DequantizeLinear node it would not fold: it keeps those for quantized
     * kernels, and the D 64 pack ran about 35% slower).
     */
    String floats(String name, float[] data, long... shape) {
        if (format == WeightFormat.INT8 && data.length > HALF_MIN && shape.length >= 2) {
            return quantized(name, data, shape);
        }
        if (format != WeightFormat.FP32 && data.length > HALF_MIN) {
            ByteBuffer half = ByteBuffer.allocate(2 * data.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : data) {
                half.putShort(Half.fromFloat(f));
            }
            initializer(name + "_fp16", OnnxMl.TensorProto.DataType.FLOAT16, half.array(), shape);
            graph.addNode(OnnxMl.NodeProto.newBuilder()
                    .setOpType("Cast")
                    .setName(name + "_cast")
                    .addInput(name + "_fp16")
                    .addOutput(name)
                    .addAttribute(attribute("to", OnnxMl.TensorProto.DataType.FLOAT.getNumber())));
            return name;
        }
        initializer(name, OnnxMl.TensorProto.DataType.FLOAT, littleEndian(data), shape);
        return name;
    }

    /** Symmetric int8 with a scale per slice of axis 0: q = round(w / s), s = max |w| / 127 over the slice. */
    private String quantized(String name, float[] data, long[] shape) {
        int rows = (int) shape[0];
        int per = data.length / rows;
        float[] scales = new float[rows];
        byte[] q = new byte[data.length];
        for (int r = 0; r < rows; r++) {
            float max = 0;
            for (int i = r * per; i < (r + 1) * per; i++) {
                max = Math.max(max, Math.abs(data[i]));
            }
            float s = max / 127f;
            s = s > 0 ? s : 1f; // an all-zero slice (or one too small to scale) is stored as zeros
            scales[r] = s;
            for (int i = r * per; i < (r + 1) * per; i++) {
                q[i] = (byte) Math.max(-127, Math.min(127, Math.round(data[i] / s)));
            }
        }
        initializer(name + "_q", OnnxMl.TensorProto.DataType.INT8, q, shape);
        long[] scaleShape = new long[shape.length]; // [rows, 1, ...]: broadcast over the slice
        Arrays.fill(scaleShape, 1);
        scaleShape[0] = rows;
        initializer(name + "_scale", OnnxMl.TensorProto.DataType.FLOAT, littleEndian(scales), scaleShape);
        graph.addNode(OnnxMl.NodeProto.newBuilder()
                .setOpType("Cast")
                .setName(name + "_cast")
                .addInput(name + "_q")
                .addOutput(name + "_int")
                .addAttribute(attribute("to", OnnxMl.TensorProto.DataType.FLOAT.getNumber())));
        graph.addNode(OnnxMl.NodeProto.newBuilder()
                .setOpType("Mul")
                .setName(name + "_dequantize")
                .addInput(name + "_int")
                .addInput(name + "_scale")
                .addOutput(name));
        return name;
    }

    private void initializer(String name, OnnxMl.TensorProto.DataType type, byte[] raw, long... shape) {
        graph.addInitializer(OnnxMl.TensorProto.newBuilder()
                .setName(name)
                .setDataType(type.getNumber())
                .addAllDims(Arrays.stream(shape).boxed().toList())
                .setRawData(ByteString.copyFrom(raw)));
    }

    private static byte[] littleEndian(float[] data) {
        ByteBuffer buf = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : data) {
            buf.putFloat(f);
        }
        return buf.array();
    }

    String longs(String name, long... data) {
        graph.addInitializer(OnnxMl.TensorProto.newBuilder()
                .setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
                .addDims(data.length)
                .addAllInt64Data(Arrays.stream(data).boxed().toList()));
        return name;
    }

    void input(String name, OnnxMl.TensorProto.DataType type, long... dims) {
        graph.addInput(valueInfo(name, type, "batch", dims));
    }

    /** An input whose dynamic first axis has its own name (its size is not the batch's). */
    void input(String name, String axis, OnnxMl.TensorProto.DataType type, long... dims) {
        graph.addInput(valueInfo(name, type, axis, dims));
    }

    void output(String name, long... dims) {
        graph.addOutput(valueInfo(name, OnnxMl.TensorProto.DataType.FLOAT, "batch", dims));
    }

    byte[] toModelBytes(String producer) {
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(9)
                .setProducerName(producer)
                .addOpsetImport(
                        OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    /** dims: -1 is the symbolic dimension named {@code axis}. */
    private static OnnxMl.ValueInfoProto valueInfo(
            String name, OnnxMl.TensorProto.DataType type, String axis, long... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(
                    d < 0
                            ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(axis)
                            : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder()
                .setName(name)
                .setType(OnnxMl.TypeProto.newBuilder()
                        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                                .setElemType(type.getNumber())
                                .setShape(shape)))
                .build();
    }

    private static OnnxMl.AttributeProto attribute(String name, Object v) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name);
        if (v instanceof Integer i) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(i);
        } else if (v instanceof Long l) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(l);
        } else if (v instanceof Float f) {
            a.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(f);
        } else if (v instanceof String s) {
            a.setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
        } else if (v instanceof long[] ls) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INTS)
                    .addAllInts(Arrays.stream(ls).boxed().toList());
        } else {
            throw new IllegalArgumentException("attribute " + name + ": unsupported " + v);
        }
        return a.build();
    }
}
