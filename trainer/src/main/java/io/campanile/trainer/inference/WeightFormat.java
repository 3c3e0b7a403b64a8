package io.campanile.trainer.inference;

import java.util.Arrays;
import java.util.Locale;

/**
 * How an exported pack stores its weights ({@link OnnxGraph#floats}). The graph computes in float whatever the
 * format: a stored tensor is turned back into float inside the graph (a Cast; for int8, a Cast and a Mul by its scales).
 */
public enum WeightFormat {
    /** 4 bytes a weight, exact. */
    FP32(""),
    /** 2 bytes a weight, rounded to float16. */
    FP16(", float16 weights"),
    /**
     * 1 byte a weight: symmetric int8 with one float scale per slice of the first axis (an output channel of a
     * convolution, an input channel of a transposed one), max |w| / 127. Tensors of one axis and more than 256 values
     * are stored as float16; smaller ones stay float32.
     */
    INT8(", int8 weights (per-channel scales)");

    private final String description;

    WeightFormat(String description) {
        this.description = description;
    }

    /** What the pack's manifest description says of it (empty for float32). */
    public String description() {
        return description;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static WeightFormat parse(String s) {
        return Arrays.stream(values())
                .filter(f -> f.wireName().equals(s))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("export_weights is fp32, fp16 or int8, got " + s));
    }
}
