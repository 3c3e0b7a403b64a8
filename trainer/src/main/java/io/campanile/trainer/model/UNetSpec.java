package io.campanile.trainer.model;

import io.campanile.contracts.jobs.Architecture;

/**
 * Shape of a course UNet (CS180 project 5 part B) on 1 x 28 x 28 images.
 *
 * @param architecture which conditioning the graph has
 * @param hiddenDim D, the channel width (course: 128 for the denoiser, 64 for the DDPMs)
 * @param numClasses K of the one-hot class vector (10 for MNIST)
 */
public record UNetSpec(Architecture architecture, int hiddenDim, int numClasses) {
    public static final int SIZE = 28;

    public UNetSpec {
        if (hiddenDim < 1 || hiddenDim > 1024) {
            throw new IllegalArgumentException("hidden_dim must be in 1..1024 (got " + hiddenDim + ")");
        }
    }

    public static UNetSpec of(Architecture architecture, int hiddenDim) {
        return new UNetSpec(architecture, hiddenDim, 10);
    }

    /**
     * Forward FLOPs per image of the convolutions, counted on {@link UNetTopology}: 2 * (65170 D^2 + 14112 D), as
     * IF-FACTS has it (FCBlocks not counted).
     */
    public double forwardFlopsPerImage() {
        return 2.0 * ConvFlops.multiplyAdds(this);
    }
}
