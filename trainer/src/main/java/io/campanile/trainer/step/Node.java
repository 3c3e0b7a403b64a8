package io.campanile.trainer.step;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A value of the step's graph (NHWC activations, [B, C] vectors) and, after the backward, the loss gradient with
 * respect to it. A channel concatenation starts without a value ({@link StepLayers#concat}): only its parts, until a
 * layer needs it whole.
 */
final class Node {
    INDArray value;
    INDArray grad;
    final boolean isInput;
    final Node first;
    final Node second;

    private Node(INDArray value, boolean input, Node first, Node second) {
        this.value = value;
        this.isInput = input;
        this.first = first;
        this.second = second;
    }

    Node(INDArray value) {
        this(value, false, null, null);
    }

    /** A network input: no layer needs its gradient. */
    static Node input(INDArray value) {
        return new Node(value, true, null, null);
    }

    /** The concatenation of a's and b's channels, not computed yet. */
    static Node concatenation(Node a, Node b) {
        return new Node(null, false, a, b);
    }

    /** Whether this is a concatenation whose value has not been computed. */
    boolean pendingConcatenation() {
        return value == null && first != null;
    }

    /** Adds g to this node's gradient (takes g itself as the first one). */
    void accumulate(INDArray g) {
        if (grad == null) {
            grad = g;
        } else {
            grad.addi(g);
        }
    }
}
