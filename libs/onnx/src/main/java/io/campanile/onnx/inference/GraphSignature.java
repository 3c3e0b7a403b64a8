package io.campanile.onnx.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackException;
import io.campanile.packs.PackManifest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The inputs and outputs a manifest implies (the contract in {@link PackManifest}'s javadoc, the
 * same as {@code deploy/export/check_pack.py}), checked against a loaded graph.
 */
final class GraphSignature {
    /** Marks the dynamic batch axis in {@link Spec#dims()}. */
    static final long BATCH = -1;

    /**
     * One expected input or output.
     *
     * @param dims the dimensions, {@link #BATCH} for the batch axis
     */
    record Spec(String name, OnnxJavaType type, long... dims) {
        String describe() {
            return dims().length == 0
                    ? "[]"
                    : "["
                            + Arrays.stream(dims)
                                    .mapToObj(d -> d == BATCH ? "batch" : Long.toString(d))
                                    .collect(Collectors.joining(","))
                            + "]";
        }
    }

    private GraphSignature() {}

    /** Names of the graph's inputs (initializers excluded). */
    static List<String> inputNames(OrtSession session) {
        return List.copyOf(session.getInputNames());
    }

    /**
     * Checks the session's inputs and outputs.
     *
     * @throws PackException naming the pack, the value, what the graph has and what the manifest says
     */
    static void check(ModelPack pack, OrtSession session, List<Spec> inputs, List<Spec> outputs) {
        try {
            compare(pack, "input", session.getInputInfo(), inputs);
            compare(pack, "output", session.getOutputInfo(), outputs);
        } catch (OrtException e) {
            throw new PackException("pack " + pack.id() + ": cannot read the graph's signature: " + e.getMessage(), e);
        }
    }

    private static void compare(ModelPack pack, String kind, Map<String, NodeInfo> actual, List<Spec> expected) {
        List<String> wanted = expected.stream().map(Spec::name).toList();
        for (Spec spec : expected) {
            if (!actual.containsKey(spec.name())) {
                throw new PackException("pack " + pack.id() + ": the graph has no " + kind + " " + spec.name()
                        + " (its " + kind + "s: " + String.join(", ", actual.keySet()) + "), the manifest says "
                        + typeName(spec.type()) + spec.describe());
            }
        }
        for (String name : actual.keySet()) {
            if (!wanted.contains(name)) {
                throw new PackException("pack " + pack.id() + ": the graph has an " + kind + " " + name
                        + " that the manifest does not account for (expected " + String.join(", ", wanted) + ")");
            }
        }
        for (Spec spec : expected) {
            NodeInfo info = actual.get(spec.name());
            if (!(info.getInfo() instanceof TensorInfo tensor)) {
                throw new PackException("pack " + pack.id() + ": " + kind + " " + spec.name() + " is " + info.getInfo()
                        + ", not a tensor");
            }
            boolean typeOk = tensor.type == spec.type();
            if (!typeOk || !dimsMatch(tensor.getShape(), spec.dims())) {
                throw new PackException("pack " + pack.id() + ": " + kind + " " + spec.name() + " is "
                        + describe(tensor) + ", the manifest says " + (typeOk ? "" : typeName(spec.type()))
                        + spec.describe());
            }
        }
    }

    /** The batch axis must be dynamic, every other axis equal. */
    private static boolean dimsMatch(long[] actual, long[] expected) {
        if (actual.length != expected.length) {
            return false;
        }
        for (int i = 0; i < actual.length; i++) {
            if (expected[i] == BATCH ? actual[i] >= 0 : actual[i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** E.g. {@code float[batch,77,1024]}: symbolic axes by their name, {@code ?} when unnamed. */
    static String describe(TensorInfo tensor) {
        long[] shape = tensor.getShape();
        String[] names = tensor.getDimensionNames();
        List<String> dims = new ArrayList<>();
        for (int i = 0; i < shape.length; i++) {
            String name = names != null && i < names.length ? names[i] : "";
            dims.add(shape[i] >= 0 ? Long.toString(shape[i]) : name == null || name.isEmpty() ? "?" : name);
        }
        return typeName(tensor.type) + "[" + String.join(",", dims) + "]";
    }

    static String typeName(OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> "float";
            case INT64 -> "int64";
            default -> type.name().toLowerCase(Locale.ROOT);
        };
    }
}
