package io.campanile.stage1.service;

import io.campanile.diffusion.tensor.Tensor;
import io.campanile.platform.JobContext;
import io.campanile.platform.JobWorker;
import java.util.List;

/** {@code forward}: the original and one noisy image per t. */
public final class ForwardOperation implements JobWorker.Operation {

    @Override
    public void run(JobContext job) {
        ModelProfile model = ModelProfile.of(job.request().model());
        List<Integer> ts = job.intListParam("t");
        // 1. The model-sized original.
        Tensor x0 = NoisyImages.original(job, model);
        job.output("original", x0, model.range());
        // 2. One noisy image per t.
        for (int i = 0; i < ts.size(); i++) {
            job.checkCancelled();
            int t = ts.get(i);
            job.output("noisy t=" + t, NoisyImages.noisy(job, model, x0, t), model.range());
            job.progress("forward", i + 1, ts.size());
        }
    }
}
