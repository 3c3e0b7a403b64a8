package io.campanile.stage1.service;

import io.campanile.contracts.StoredImage;
import io.campanile.diffusion.image.ContactSheet;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.LoadedPack;
import io.campanile.engine.LoopContext;
import io.campanile.engine.PackModels;
import io.campanile.platform.JobContext;
import io.campanile.stage1.engine.DenoiseLoop;
import io.campanile.stage1.engine.Mix;
import io.campanile.stage1.engine.Steps;
import java.util.ArrayList;
import java.util.List;

/** {@code sample}: num_images images from pure noise (i_start = 0), with classifier-free guidance. */
public final class SampleOperation extends PackOperation {
    public SampleOperation(PackModels packs, Stage2Handoff handoff) {
        super(packs, handoff);
    }

    @Override
    public void run(JobContext job) {
        LoadedPack p = pack(job);
        int n = job.intParam("num_images");
        // 1. Pure noise, one draw per image.
        Tensor x = Steps.pureNoise(job, p, "sample init", n);
        // 2. The loop over the whole timestep list, all images in one batch.
        DenoiseLoop.run(LoopContext.of(job), p, Steps.guided(job, p, Steps.plain(job), Mix.mean()), x,
                new DenoiseLoop.Run(Steps.timesteps(job, p), 0, "sample", 0, "sample"), null);
        // 3. The images and the strip.
        List<StoredImage> results = new ArrayList<>();
        List<ContactSheet.Cell> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Tensor img = Steps.image(x, i);
            results.add(job.output("sample " + (i + 1), img, p.range()));
            cells.add(new ContactSheet.Cell(img, p.range(), "sample " + (i + 1)));
        }
        Steps.sheet(job, List.of(new ContactSheet.Row(Steps.text(job, "prompt"), cells)));
        // 4. With upscale: true, stage II continues the job.
        handoff.maybeUpscale(job, results, Steps.text(job, "prompt"));
    }
}
