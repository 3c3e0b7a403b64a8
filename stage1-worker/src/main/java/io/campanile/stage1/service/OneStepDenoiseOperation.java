package io.campanile.stage1.service;

import io.campanile.contracts.jobs.OneStepDenoiseRequest;
import io.campanile.diffusion.image.ContactSheet;
import io.campanile.diffusion.schedule.DdpmScheduler;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.guided.GuidedUnet;
import io.campanile.engine.guided.Mix;
import io.campanile.engine.loop.Prediction;
import io.campanile.engine.output.OutputWriter;
import io.campanile.engine.packs.LoadedPack;
import io.campanile.engine.packs.PackModels;
import io.campanile.platform.JobContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code one_step_denoise}: for each t, noise the image to x_t and estimate the clean image from one UNet call,
 * x0_hat = (x_t - sqrt(1 - abar_t) eps) / sqrt(abar_t) (DDPM eq. 15). All t run in one batched call.
 */
public final class OneStepDenoiseOperation extends PackOperation<OneStepDenoiseRequest> {
    public OneStepDenoiseOperation(PackModels packs) {
        super(OneStepDenoiseRequest.class, packs, null);
    }

    @Override
    public void run(OneStepDenoiseRequest req, JobContext job) {
        LoadedPack p = pack(job);
        OutputWriter out = new OutputWriter(job);
        List<Integer> ts = req.t();
        // 1. The model-sized original.
        Tensor x0 = Steps.original(job, p, req.image());
        out.image("original", x0, p.range());
        // 2. The noisy images x_t, one per t (the forward job's noise for this seed).
        List<Tensor> noisy = new ArrayList<>();
        int[] tPerImage = new int[ts.size()];
        for (int i = 0; i < ts.size(); i++) {
            tPerImage[i] = ts.get(i);
            noisy.add(Steps.noisy(job, p, x0, tPerImage[i]));
        }
        // 3. One guided UNet call for every t at once (no negative prompt: "").
        job.checkCancelled();
        GuidedUnet unet =
                Steps.guided(job, p, Steps.plain(req.prompt()), "", req.guidanceScale(), Mix.mean(), req.sampler());
        Prediction pred = unet.predict(Tensor.stack(noisy), tPerImage);
        // 4. The clean estimate per t: eq. A.3 as is (course), or thresholded as the pack's scheduler does (diffusers).
        DdpmScheduler scheduler = p.scheduler(req.sampler());
        List<ContactSheet.Cell> top = new ArrayList<>();
        List<ContactSheet.Cell> bottom = new ArrayList<>();
        for (int i = 0; i < ts.size(); i++) {
            Tensor estimate = scheduler.predictOriginal(noisy.get(i), pred.eps().item(i), tPerImage[i]);
            out.image("noisy t=" + tPerImage[i], noisy.get(i), p.range());
            out.image("one_step t=" + tPerImage[i], estimate, p.range());
            top.add(new ContactSheet.Cell(noisy.get(i), p.range(), "noisy t=" + tPerImage[i]));
            bottom.add(new ContactSheet.Cell(estimate, p.range(), "one-step t=" + tPerImage[i]));
        }
        job.events().progress("one_step_denoise", 1, 1);
        // 5. The figure: noisy images above their one-step estimates, the original first.
        top.add(0, new ContactSheet.Cell(x0, p.range(), "original"));
        bottom.add(0, new ContactSheet.Cell(x0, p.range(), "original"));
        Steps.sheet(
                out,
                List.of(
                        new ContactSheet.Row("noisy", top),
                        new ContactSheet.Row("one-step (" + req.sampler().wireName() + ")", bottom)));
    }
}
