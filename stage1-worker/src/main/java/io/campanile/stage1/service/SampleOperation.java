package io.campanile.stage1.service;

import io.campanile.contracts.StoredImage;
import io.campanile.contracts.jobs.SampleRequest;
import io.campanile.contracts.jobs.Sampler;
import io.campanile.contracts.jobs.UpscaleRequest.IllusionSpec;
import io.campanile.diffusion.image.ContactSheet;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.loop.DenoiseLoop;
import io.campanile.engine.output.OutputWriter;
import io.campanile.engine.packs.LoadedPack;
import io.campanile.engine.packs.PackModels;
import io.campanile.platform.JobContext;
import java.util.ArrayList;
import java.util.List;

/** {@code sample}: num_images images from pure noise (i_start = 0), with classifier-free guidance. */
public final class SampleOperation extends PackOperation<SampleRequest> {
    public SampleOperation(PackModels packs, Stage2Handoff handoff) {
        super(SampleRequest.class, packs, handoff);
    }

    @Override
    public void run(SampleRequest req, JobContext job) {
        LoadedPack p = pack(job);
        OutputWriter out = new OutputWriter(job);
        int n = req.numImages();
        // 1. Pure noise, one draw per image.
        Tensor x = Steps.pureNoise(job, p, "sample init", n);
        // 2. The loop over the whole timestep list, all images in one batch.
        Sampler sampler = req.sampler();
        DenoiseLoop.Run run = Steps.run(
                p,
                p.timesteps(req.timesteps(), req.numInferenceSteps(), p::courseTimesteps),
                0,
                "sample",
                "sample",
                sampler);
        Steps.denoise(
                job,
                p,
                sampler,
                Steps.plainGuided(job, p, req.prompt(), req.negativePrompt(), req.guidanceScale(), sampler),
                x,
                run,
                null);
        // 3. The images and the strip.
        List<StoredImage> results = new ArrayList<>();
        List<ContactSheet.Cell> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Tensor img = x.item(i);
            results.add(out.image("sample " + (i + 1), img, p.range()));
            cells.add(new ContactSheet.Cell(img, p.range(), "sample " + (i + 1)));
        }
        Steps.sheet(out, List.of(new ContactSheet.Row(Steps.label(req.prompt(), sampler, run), cells)));
        // 4. With upscale: true, stage II continues the job (with the same step count, as part 0 ran both stages).
        handoff.maybeUpscale(job, req, results, req.prompt(), req.numInferenceSteps(), IllusionSpec.none());
    }
}
