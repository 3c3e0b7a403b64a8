package io.campanile.testpacks;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

/**
 * The ONNX operators (default domain, opset {@value #OPSET}) the test graphs use. Tribuo's own
 * {@code ONNXOperators} stop at opset 13 and lack Conv, Tanh, Relu, MatMul and Slice, so the graphs declare theirs
 * here; tribuo's {@code ONNXContext} builds the nodes from them.
 */
enum Op implements ONNXOperator {
    ADD("Add", 2, 0),
    MUL("Mul", 2, 0),
    TANH("Tanh", 1, 0),
    RELU("Relu", 1, 0),
    MATMUL("MatMul", 2, 0),
    CAST("Cast", 1, 0, new ONNXAttribute("to", AttributeType.INT, true)),
    CONCAT("Concat", ONNXAttribute.VARIADIC_INPUT, 0, new ONNXAttribute("axis", AttributeType.INT, true)),
    GATHER("Gather", 2, 0, new ONNXAttribute("axis", AttributeType.INT, false)),
    /** Opset 13+: the axes are the second input. */
    UNSQUEEZE("Unsqueeze", 2, 0),
    /** Opset 17: the axes are an attribute (they became an input in opset 18). */
    REDUCE_MEAN(
            "ReduceMean",
            1,
            0,
            new ONNXAttribute("axes", AttributeType.INTS, false),
            new ONNXAttribute("keepdims", AttributeType.INT, false)),
    /** data, starts, ends, axes, steps. */
    SLICE("Slice", 3, 2),
    /** X, W, B. */
    CONV(
            "Conv",
            2,
            1,
            new ONNXAttribute("kernel_shape", AttributeType.INTS, false),
            new ONNXAttribute("pads", AttributeType.INTS, false),
            new ONNXAttribute("strides", AttributeType.INTS, false));

    /** The opset version of the default domain the models import. */
    static final int OPSET = 17;
    /** The IR version written into the models (IR 8 goes with opset 17). */
    static final long IR_VERSION = 8;

    private final String opName;
    private final int inputs;
    private final int optionalInputs;
    private final Map<String, ONNXAttribute> attributes;

    Op(String opName, int inputs, int optionalInputs, ONNXAttribute... attributes) {
        this.opName = opName;
        this.inputs = inputs;
        this.optionalInputs = optionalInputs;
        this.attributes = Arrays.stream(attributes)
                .collect(Collectors.toUnmodifiableMap(ONNXAttribute::getName, Function.identity()));
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return inputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return optionalInputs;
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return attributes.values().stream()
                .filter(ONNXAttribute::isMandatory)
                .map(ONNXAttribute::getName)
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public int getOpVersion() {
        return OPSET;
    }

    @Override
    public String getOpDomain() {
        return "";
    }
}
