package io.campanile.testpacks;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * A thin layer over tribuo's {@link ONNXContext}: inputs and outputs of any rank and element type (tribuo only
 * declares float [batch, n]), initializers, nodes, and the model around the graph.
 *
 * <p>Dimensions are given as {@code Integer} (fixed) or the string {@value #BATCH} (the dynamic batch axis).
 */
final class GraphBuilder {
    /** The name of the dynamic batch axis, as in {@code deploy/export/packs.py}. */
    static final String BATCH = "batch";

    private final ONNXContext ctx = new ONNXContext();
    private final Map<String, ValueInfoProto> declared = new LinkedHashMap<>();

    /** Declares a graph input. */
    ONNXPlaceholder input(String name, DataType type, Object... dims) {
        declared.put(name, valueInfo(name, type, dims));
        return ctx.floatInput(name, 1);
    }

    /** Declares a graph output, to be bound with {@link #output(ONNXRef, ONNXPlaceholder)}. */
    ONNXPlaceholder output(String name, DataType type, Object... dims) {
        declared.put(name, valueInfo(name, type, dims));
        return ctx.floatOutput(name, 1);
    }

    /** Binds a computed value to a declared output (an Identity node). */
    void output(ONNXRef<?> value, ONNXPlaceholder output) {
        ctx.assignTo(value, output);
    }

    /** A float32 initializer of the given shape, values in row-major order. */
    ONNXInitializer floats(String name, int[] dims, float[] values) {
        if (Arrays.stream(dims).asLongStream().reduce(1, (a, b) -> a * b) != values.length) {
            throw new IllegalArgumentException(
                    name + ": " + values.length + " values for shape " + Arrays.toString(dims));
        }
        return ctx.floatTensor(name, Arrays.stream(dims).boxed().toList(), buffer -> buffer.put(values));
    }

    /** A float32 scalar. */
    ONNXInitializer scalar(String name, float value) {
        return ctx.constant(name, value);
    }

    /** An int64 vector (axes, starts, ends). */
    ONNXInitializer longs(String name, long... values) {
        return ctx.array(name, values);
    }

    /** One node. */
    ONNXNode op(Op op, String name, List<? extends ONNXRef<?>> inputs) {
        return ctx.operation(op, new ArrayList<>(inputs), name, Map.of());
    }

    /** One node with attributes ({@code Integer}, {@code int[]}, ...). */
    ONNXNode op(Op op, String name, List<? extends ONNXRef<?>> inputs, Map<String, Object> attributes) {
        return ctx.operation(op, new ArrayList<>(inputs), name, attributes);
    }

    /** {@code a + b} (broadcasting). */
    ONNXNode add(String name, ONNXRef<?> a, ONNXRef<?> b) {
        return op(Op.ADD, name, List.of(a, b));
    }

    /** {@code a * b} (broadcasting). */
    ONNXNode mul(String name, ONNXRef<?> a, ONNXRef<?> b) {
        return op(Op.MUL, name, List.of(a, b));
    }

    /** {@code a * constant}. */
    ONNXNode scale(String name, ONNXRef<?> a, float factor) {
        return mul(name, a, scalar(name + "_factor", factor));
    }

    /** Unsqueeze at the given axes. */
    ONNXNode unsqueeze(String name, ONNXRef<?> a, long... axes) {
        return op(Op.UNSQUEEZE, name, List.of(a, longs(name + "_axes", axes)));
    }

    /** Cast to float32. */
    ONNXNode toFloat(String name, ONNXRef<?> a) {
        return op(Op.CAST, name, List.of(a), Map.of("to", DataType.FLOAT.getNumber()));
    }

    /** Channels {@code [from, to)} of an NCHW tensor. */
    ONNXNode channels(String name, ONNXRef<?> a, long from, long to) {
        return op(
                Op.SLICE,
                name,
                List.of(a, longs(name + "_starts", from), longs(name + "_ends", to), longs(name + "_axes", 1)));
    }

    /**
     * The model: the graph with the declared inputs and outputs, opset {@value Op#OPSET}.
     *
     * @param graphName the graph's name
     * @param docString what the graph computes, stored in the model
     */
    ModelProto build(String graphName, String docString) {
        ctx.setName(graphName);
        GraphProto.Builder graph = ctx.buildGraph().toBuilder();
        for (int i = 0; i < graph.getInputCount(); i++) {
            graph.setInput(i, declared(graph.getInput(i).getName()));
        }
        for (int i = 0; i < graph.getOutputCount(); i++) {
            graph.setOutput(i, declared(graph.getOutput(i).getName()));
        }
        return ModelProto.newBuilder()
                .setIrVersion(Op.IR_VERSION)
                .setProducerName("campanile-testpacks")
                .setDocString(docString)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(Op.OPSET))
                .setGraph(graph)
                .build();
    }

    private ValueInfoProto declared(String name) {
        ValueInfoProto v = declared.get(name);
        if (v == null) {
            throw new IllegalStateException("graph value " + name + " was not declared");
        }
        return v;
    }

    private static ValueInfoProto valueInfo(String name, DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof Integer n) {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(n));
            } else if (d instanceof String axis && !axis.isBlank()) { // a dynamic axis: BATCH, or one of its own
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(axis));
            } else {
                throw new IllegalArgumentException(
                        name + ": dimension " + d + " is neither an Integer nor an axis name");
            }
        }
        TypeProto.Tensor tensor = TypeProto.Tensor.newBuilder()
                .setElemType(type.getNumber())
                .setShape(shape)
                .build();
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(tensor))
                .build();
    }
}
