package io.campanile.stage1.service;

import io.campanile.diffusion.image.ContactSheet;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.LoadedPack;
import io.campanile.engine.PackModels;
import io.campanile.platform.JobContext;
import io.campanile.stage1.engine.GuidedUnet;
import io.campanile.stage1.engine.Mix;
import io.campanile.stage1.engine.Prediction;
import io.campanile.stage1.engine.Steps;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code one_step_denoise}: for each t, noise the image to x_t and estimate the clean image from one UNet call,
 * x0_hat = (x_t - sqrt(1 - abar_t) eps) / sqrt(abar_t) (DDPM eq. 15). All t run in one batched call.
 */
public final class OneStepDenoiseOperation extends PackOperation {
    public OneStepDenoiseOperation(PackModels packs) {
        super(packs, null);
    }

    @Override
    public void run(JobContext job) {
        LoadedPack p = pack(job);
        List<Integer> ts = job.intListParam("t");
        // 1. The model-sized original.
        Tensor x0 = Steps.original(job, p);
        job.output("original", x0, p.range());
        // 2. The noisy images x_t, one per t (the forward job's noise for this seed).
        List<Tensor> noisy = new ArrayList<>();
        int[] tPerImage = new int[ts.size()];
        for (int i = 0; i < ts.size(); i++) {
            tPerImage[i] = ts.get(i);
            noisy.add(Steps.noisy(job, p, x0, tPerImage[i]));
        }
        // 3. One guided UNet call for every t at once.
        job.checkCancelled();
        GuidedUnet unet = Steps.guided(job, p, Steps.plain(job), Mix.mean()); // no negative prompt: ""
        Prediction pred = unet.predict(Steps.stack(noisy), tPerImage);
        // 4. The clean estimate per t.
        List<ContactSheet.Cell> top = new ArrayList<>();
        List<ContactSheet.Cell> bottom = new ArrayList<>();
        for (int i = 0; i < ts.size(); i++) {
            Tensor estimate = p.scheduler().predictOriginal(noisy.get(i), Steps.image(pred.eps(), i), tPerImage[i]);
            job.output("noisy t=" + tPerImage[i], noisy.get(i), p.range());
            job.output("one_step t=" + tPerImage[i], estimate, p.range());
            top.add(new ContactSheet.Cell(noisy.get(i), p.range(), "noisy t=" + tPerImage[i]));
            bottom.add(new ContactSheet.Cell(estimate, p.range(), "one-step t=" + tPerImage[i]));
        }
        job.progress("one_step_denoise", 1, 1);
        // 5. The figure: noisy images above their one-step estimates, the original first.
        top.add(0, new ContactSheet.Cell(x0, p.range(), "original"));
        bottom.add(0, new ContactSheet.Cell(x0, p.range(), "original"));
        Steps.sheet(job, List.of(new ContactSheet.Row("noisy", top), new ContactSheet.Row("one-step", bottom)));
    }
}
