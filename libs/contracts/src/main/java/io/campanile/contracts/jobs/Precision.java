package io.campanile.contracts.jobs;

import com.fasterxml.jackson.annotation.JsonValue;

/** The arithmetic of a {@code train} job's convolutions; the {@code precision} field's wire names. */
public enum Precision implements Choice {
    /** float32 throughout. */
    FP32("fp32"),
    /**
     * Mixed precision: the convolutions' inputs, weights and output gradients rounded to bfloat16, their products
     * summed in float32; the weights, Adam, batch norm, GELU and the loss in float32. Needs a CPU with bfloat16 dot
     * products (AVX512_BF16 or AMX).
     */
    BF16("bf16");

    private final String wireName;

    Precision(String wireName) {
        this.wireName = wireName;
    }

    @Override
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
