package io.campanile.onnx.inference;

import io.campanile.packs.PackException;

/** A graph produced NaN or infinity (an fp16 overflow, broken weights): retrying the same input will not help. */
public class NonFiniteOutputException extends PackException {
    public NonFiniteOutputException(String message) {
        super(message);
    }
}
