package io.campanile.stage1.service;

import io.campanile.contracts.StoredImage;
import io.campanile.diffusion.image.ContactSheet;
import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.LoadedPack;
import io.campanile.engine.LoopContext;
import io.campanile.engine.PackModels;
import io.campanile.platform.JobContext;
import io.campanile.stage1.engine.DenoiseLoop;
import io.campanile.stage1.engine.Inpainting;
import io.campanile.stage1.engine.Mix;
import io.campanile.stage1.engine.Steps;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code inpaint}: sample from pure noise, and after every step put the known pixels back where the mask is 0:
 * {@code repaint} (the course, after RePaint, Lugmayr et al. 2022) sets them to the original noised to the step's
 * timestep, x = m x + (1 - m) forward(x_orig, t'); {@code keep_clean} sets them to the clean original.
 */
public final class InpaintOperation extends PackOperation {
    public InpaintOperation(PackModels packs, Stage2Handoff handoff) {
        super(packs, handoff);
    }

    @Override
    public void run(JobContext job) {
        LoadedPack p = pack(job);
        int n = job.intParam("num_images");
        boolean repaint = "repaint".equals(Steps.text(job, "mode"));
        // 1. The original and the binarised mask (1 = new content).
        Tensor x0 = Steps.original(job, p);
        Tensor mask = Steps.mask(job, p);
        job.output("original", x0, p.range());
        job.output("mask", mask, ValueRange.ZERO_ONE);
        // 2. From pure noise, re-imposing the kept region after every step.
        Tensor x = Steps.pureNoise(job, p, "inpaint init", n);
        Inpainting known = new Inpainting(p, job.seed(), x0, mask, repaint);
        DenoiseLoop.run(LoopContext.of(job), p, Steps.guided(job, p, Steps.plain(job), Mix.mean()), x,
                new DenoiseLoop.Run(Steps.timesteps(job, p), 0, "inpaint", 0, "inpaint"),
                (i, prevT, xi) -> known.impose(xi, prevT));
        // 3. The results and the strip: original | mask | results.
        List<StoredImage> results = new ArrayList<>();
        List<ContactSheet.Cell> cells = new ArrayList<>(List.of(new ContactSheet.Cell(x0, p.range(), "original"),
                new ContactSheet.Cell(mask, ValueRange.ZERO_ONE, "mask")));
        for (int i = 0; i < n; i++) {
            Tensor img = Steps.image(x, i);
            results.add(job.output("inpainted " + (i + 1), img, p.range()));
            cells.add(new ContactSheet.Cell(img, p.range(), "inpainted " + (i + 1)));
        }
        Steps.sheet(job, List.of(new ContactSheet.Row(Steps.text(job, "prompt"), cells)));
        handoff.maybeUpscale(job, results, Steps.text(job, "prompt"));
    }
}
