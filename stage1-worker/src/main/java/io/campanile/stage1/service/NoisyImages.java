package io.campanile.stage1.service;

import io.campanile.diffusion.image.ImageCodec;
import io.campanile.diffusion.noise.SeededNoise;
import io.campanile.diffusion.ops.ForwardProcess;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.platform.JobContext;

/**
 * Steps shared by the forward and blur jobs: the model-sized original x0 and its noisy versions x_t. The noise of
 * each t is drawn from the stream "forward t=T" of the job seed, so a forward job and a blur job with the same seed
 * show the same noisy images.
 */
final class NoisyImages {
    private NoisyImages() {
    }

    /** 1. Decode the input and resize + centre-crop it to the model's size and value range. */
    static Tensor original(JobContext job, ModelProfile model) {
        return ImageCodec.toTensor(ImageCodec.decode(job.input("image")), model.imageSize(), model.channels(),
                model.range());
    }

    /** 2. x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps (DDPM, Ho et al. 2020, eq. 4). */
    static Tensor noisy(JobContext job, ModelProfile model, Tensor x0, int t) {
        model.schedule().checkTimestep("t", t);
        Tensor eps = SeededNoise.gaussian(job.seed(), "forward t=" + t, 0, x0.shape());
        return ForwardProcess.noise(x0, eps, model.schedule(), t);
    }
}
