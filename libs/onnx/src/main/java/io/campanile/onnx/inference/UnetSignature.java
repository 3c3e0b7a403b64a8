package io.campanile.onnx.inference;

import ai.onnxruntime.OnnxJavaType;
import io.campanile.onnx.inference.GraphSignature.Spec;
import io.campanile.packs.PackManifest;
import io.campanile.packs.PackManifest.Conditioning;
import java.util.ArrayList;
import java.util.List;

/**
 * What a UNet pack's graph takes: the inputs its manifest implies (see {@link PackManifest}), and the checks of one
 * call's {@link UnetInput} against them, which name the input that is wrong.
 *
 * @param id the pack's id, for messages
 * @param sampleChannels C, or 2C for an upscaler
 * @param size S
 * @param conditioningInput the graph's conditioning input, null for conditioning {@code none}
 * @param conditioningDims the conditioning's dimensions after the batch axis
 * @param upscaler whether the graph takes {@code class_labels} (the noise level per sample)
 * @param sharedEncoder whether the graph takes {@code sample_index}: distinct samples [M, C, S, S] and, per row of
 *     the batch, the sample it denoises, so that its encoder (which sees neither the timestep nor the conditioning)
 *     runs once per distinct sample
 */
record UnetSignature(
        String id,
        int sampleChannels,
        int size,
        String conditioningInput,
        int[] conditioningDims,
        boolean upscaler,
        boolean sharedEncoder) {
    static final String SAMPLE = "sample";
    static final String SAMPLE_INDEX = "sample_index";
    static final String TIMESTEP = "timestep";
    static final String STATES = "encoder_hidden_states";
    static final String CLASS_VECTOR = "class_vector";
    static final String CLASS_LABELS = "class_labels";
    static final String OUT = "out_sample";

    static UnetSignature of(String id, PackManifest m, boolean upscaler, boolean sharedEncoder) {
        return new UnetSignature(
                id,
                upscaler ? 2 * m.channels() : m.channels(),
                m.imageSize(),
                conditioningInput(m),
                m.conditioning() == Conditioning.CLASS
                        ? new int[] {m.embeddingWidth()}
                        : new int[] {m.embeddingTokens(), m.embeddingWidth()},
                upscaler,
                sharedEncoder);
    }

    /** The graph's inputs. */
    List<Spec> inputs() {
        long batch = GraphSignature.BATCH;
        List<Spec> specs = new ArrayList<>();
        specs.add(new Spec(SAMPLE, OnnxJavaType.FLOAT, batch, sampleChannels, size, size));
        if (sharedEncoder) {
            specs.add(new Spec(SAMPLE_INDEX, OnnxJavaType.INT64, batch));
        }
        specs.add(new Spec(TIMESTEP, OnnxJavaType.INT64, batch));
        if (STATES.equals(conditioningInput)) {
            specs.add(new Spec(STATES, OnnxJavaType.FLOAT, batch, conditioningDims[0], conditioningDims[1]));
        } else if (CLASS_VECTOR.equals(conditioningInput)) {
            specs.add(new Spec(CLASS_VECTOR, OnnxJavaType.FLOAT, batch, conditioningDims[0]));
        }
        if (upscaler) {
            specs.add(new Spec(CLASS_LABELS, OnnxJavaType.INT64, batch));
        }
        return specs;
    }

    /** Elements of the conditioning for b rows (0 without conditioning). */
    long conditioningLength(int b) {
        if (conditioningInput == null) {
            return 0;
        }
        long n = b;
        for (int d : conditioningDims) {
            n *= d;
        }
        return n;
    }

    long[] conditioningShape(int b) {
        long[] s = new long[conditioningDims.length + 1];
        s[0] = b;
        for (int i = 0; i < conditioningDims.length; i++) {
            s[i + 1] = conditioningDims[i];
        }
        return s;
    }

    /**
     * Checks a call's input.
     *
     * @return the batch size B (rows)
     * @throws IllegalArgumentException naming the input whose shape or presence is wrong
     */
    int validate(UnetInput in) {
        if (in.sample().rank() != 4 || in.samples() < 1) {
            throw new IllegalArgumentException("sample: pack " + id + " takes [B, " + sampleChannels + ", " + size
                    + ", " + size + "], got " + in.sample().shapeString());
        }
        int b = in.batch();
        int m = in.samples();
        in.sample().requireShape(SAMPLE, m, sampleChannels, size, size);
        if (in.sampleIndex() != null) {
            if (b < 1) {
                throw new IllegalArgumentException(SAMPLE_INDEX + ": at least one row is needed");
            }
            for (long i : in.sampleIndex()) {
                if (i < 0 || i >= m) {
                    throw new IllegalArgumentException(
                            SAMPLE_INDEX + ": " + i + " is not one of the " + m + " samples (0.." + (m - 1) + ")");
                }
            }
        }
        requireLength(TIMESTEP, in.timesteps(), b);
        if (conditioningInput == null) {
            if (in.conditioning() != null) {
                throw new IllegalArgumentException("conditioning: pack " + id + " takes none, got "
                        + in.conditioning().shapeString());
            }
        } else if (in.conditioning() == null) {
            throw new IllegalArgumentException(conditioningInput + ": pack " + id + " needs it, got none");
        } else {
            int[] shape = new int[conditioningDims.length + 1];
            shape[0] = b;
            System.arraycopy(conditioningDims, 0, shape, 1, conditioningDims.length);
            in.conditioning().requireShape(conditioningInput, shape);
        }
        if (upscaler) {
            if (in.classLabels() == null) {
                throw new IllegalArgumentException(
                        CLASS_LABELS + ": pack " + id + " is an upscaler and needs the noise level per sample");
            }
            requireLength(CLASS_LABELS, in.classLabels(), b);
        } else if (in.classLabels() != null) {
            throw new IllegalArgumentException(
                    CLASS_LABELS + ": pack " + id + " is not an upscaler, got " + in.classLabels().length + " values");
        }
        return b;
    }

    private static void requireLength(String name, long[] values, int batch) {
        if (values.length != batch) {
            throw new IllegalArgumentException(
                    name + ": expected " + batch + " values (one per sample), got " + values.length);
        }
    }

    private static String conditioningInput(PackManifest m) {
        return switch (m.conditioning()) {
            case T5 -> STATES;
            case CLASS -> CLASS_VECTOR;
            case NONE -> null;
        };
    }
}
