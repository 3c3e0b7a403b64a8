package io.campanile.stage1.service;

import io.campanile.diffusion.ops.GaussianBlur;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.platform.JobContext;
import io.campanile.platform.JobWorker;
import java.util.List;

/** {@code blur_denoise}: classical denoising of the forward-noised images with a Gaussian blur. */
public final class BlurDenoiseOperation implements JobWorker.Operation {

    @Override
    public void run(JobContext job) {
        ModelProfile model = ModelProfile.of(job.request().model());
        List<Integer> ts = job.intListParam("t");
        int kernel = job.intParam("kernel_size");
        double sigma = job.doubleParam("sigma");
        // 1. The model-sized original.
        Tensor x0 = NoisyImages.original(job, model);
        job.output("original", x0, model.range());
        for (int i = 0; i < ts.size(); i++) {
            job.checkCancelled();
            int t = ts.get(i);
            // 2. The noisy image at t, exactly as the forward job with this seed shows it.
            Tensor xt = NoisyImages.noisy(job, model, x0, t);
            job.output("noisy t=" + t, xt, model.range());
            // 3. Its Gaussian-blurred version.
            job.output("blur t=" + t, GaussianBlur.blur(xt, kernel, sigma), model.range());
            job.progress("blur_denoise", i + 1, ts.size());
        }
    }
}
