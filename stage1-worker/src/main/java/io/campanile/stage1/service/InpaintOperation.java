package io.campanile.stage1.service;

import io.campanile.contracts.StoredImage;
import io.campanile.contracts.jobs.InpaintRequest;
import io.campanile.contracts.jobs.Sampler;
import io.campanile.contracts.jobs.UpscaleRequest.IllusionSpec;
import io.campanile.diffusion.image.ContactSheet;
import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.guided.Inpainting;
import io.campanile.engine.loop.DenoiseLoop;
import io.campanile.engine.output.OutputWriter;
import io.campanile.engine.packs.LoadedPack;
import io.campanile.engine.packs.PackModels;
import io.campanile.platform.JobContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code inpaint}: sample from pure noise, and after every step put the known pixels back where the mask is 0:
 * {@code repaint} (the course, after RePaint, Lugmayr et al. 2022) sets them to the original noised to the step's
 * timestep, x = m x + (1 - m) forward(x_orig, t'); {@code keep_clean} sets them to the clean original.
 */
public final class InpaintOperation extends PackOperation<InpaintRequest> {
    public InpaintOperation(PackModels packs, Stage2Handoff handoff) {
        super(InpaintRequest.class, packs, handoff);
    }

    @Override
    public void run(InpaintRequest req, JobContext job) {
        LoadedPack p = pack(job);
        OutputWriter out = new OutputWriter(job);
        int n = req.numImages();
        // 1. The original and the binarised mask (1 = new content).
        Tensor x0 = Steps.original(job, p, req.image());
        Tensor mask = Steps.mask(job, p, req.mask());
        out.image("original", x0, p.range());
        out.image("mask", mask, ValueRange.ZERO_ONE);
        // 2. From pure noise, re-imposing the kept region after every step.
        Tensor x = Steps.pureNoise(job, p, "inpaint init", n);
        Inpainting known = new Inpainting(p, job.seed(), x0, mask, req.mode() == InpaintRequest.Mode.REPAINT);
        Sampler sampler = req.sampler();
        DenoiseLoop.Run run =
                Steps.run(p, p.timesteps(req.timesteps(), p::courseTimesteps), 0, "inpaint", "inpaint", sampler);
        Steps.denoise(
                job,
                p,
                sampler,
                Steps.plainGuided(job, p, req.prompt(), req.negativePrompt(), req.guidanceScale(), sampler),
                x,
                run,
                (i, prevT, xi) -> known.impose(xi, prevT));
        // 3. The results and the strip: original | mask | results.
        List<StoredImage> results = new ArrayList<>();
        List<ContactSheet.Cell> cells = new ArrayList<>(List.of(
                new ContactSheet.Cell(x0, p.range(), "original"),
                new ContactSheet.Cell(mask, ValueRange.ZERO_ONE, "mask")));
        for (int i = 0; i < n; i++) {
            Tensor img = x.item(i);
            results.add(out.image("inpainted " + (i + 1), img, p.range()));
            cells.add(new ContactSheet.Cell(img, p.range(), "inpainted " + (i + 1)));
        }
        Steps.sheet(out, List.of(new ContactSheet.Row(Steps.label(req.prompt(), sampler, run), cells)));
        handoff.maybeUpscale(job, req, results, req.prompt(), null, IllusionSpec.none());
    }
}
