package io.campanile.engine.loop;

import io.campanile.diffusion.tensor.Tensor;

/**
 * The guided UNet output of one step for a batch of images.
 *
 * @param eps noise estimate [N, C, H, W]
 * @param v learned-variance interpolation [N, C, H, W] from the conditional branches, or null for packs without it
 */
public record Prediction(Tensor eps, Tensor v) {}
