package io.campanile.engine.loop;

import io.campanile.diffusion.tensor.Tensor;

/** The model side of one loop step: the (guided) noise estimate of a batch of images at one timestep. */
@FunctionalInterface
public interface Denoiser {

    /**
     * The estimate for images {@code x} [N, C, H, W] at timestep {@code t}. The result may be a buffer the denoiser
     * reuses at its next call.
     */
    Prediction predict(Tensor x, int t);
}
