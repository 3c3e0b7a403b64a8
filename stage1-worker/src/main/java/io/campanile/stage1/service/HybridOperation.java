package io.campanile.stage1.service;

import io.campanile.contracts.StoredImage;
import io.campanile.contracts.jobs.HybridRequest;
import io.campanile.contracts.jobs.Sampler;
import io.campanile.contracts.jobs.UpscaleRequest.IllusionSpec;
import io.campanile.diffusion.image.ContactSheet;
import io.campanile.diffusion.ops.GaussianBlur;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.diffusion.views.Views;
import io.campanile.engine.guided.Branch;
import io.campanile.engine.guided.Mix;
import io.campanile.engine.loop.DenoiseLoop;
import io.campanile.engine.output.OutputWriter;
import io.campanile.engine.packs.LoadedPack;
import io.campanile.engine.packs.PackModels;
import io.campanile.platform.JobContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code hybrid} (factorized diffusion, Geng et al. 2024): each step mixes the low frequencies of the guided estimate
 * for {@code prompt_low} with the high frequencies of the one for {@code prompt_high}: eps = lowpass(eps_low) +
 * highpass(eps_high), Gaussian kernel 33 and sigma 2 by default. Seen from far the image shows prompt_low.
 */
public final class HybridOperation extends PackOperation<HybridRequest> {
    public HybridOperation(PackModels packs, Stage2Handoff handoff) {
        super(HybridRequest.class, packs, handoff);
    }

    @Override
    public void run(HybridRequest req, JobContext job) {
        LoadedPack p = pack(job);
        OutputWriter out = new OutputWriter(job);
        int n = req.numImages();
        // 1. Two branches, both of the image as is.
        List<Branch> branches = List.of(
                new Branch(Views.parse("identity"), req.promptLow()),
                new Branch(Views.parse("identity"), req.promptHigh()));
        // 2. From pure noise with the low/high mix at every step.
        Tensor x = Steps.pureNoise(job, p, "hybrid init", n);
        Sampler sampler = req.sampler();
        DenoiseLoop.Run run =
                Steps.run(p, p.timesteps(req.timesteps(), p::courseTimesteps), 0, "hybrid", "hybrid", sampler);
        Steps.denoise(
                job,
                p,
                sampler,
                Steps.guided(
                        job,
                        p,
                        branches,
                        req.negativePrompt(),
                        req.guidanceScale(),
                        Mix.lowHigh(req.kernelSize(), req.sigma()),
                        sampler),
                x,
                run,
                null);
        // 3. The hybrids, and how each looks from far (its low-passed version).
        List<StoredImage> results = new ArrayList<>();
        List<ContactSheet.Cell> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Tensor img = x.item(i);
            results.add(out.image("hybrid " + (i + 1), img, p.range()));
            cells.add(new ContactSheet.Cell(img, p.range(), "hybrid " + (i + 1)));
            cells.add(new ContactSheet.Cell(
                    GaussianBlur.blur(img, req.kernelSize(), req.sigma()), p.range(), "from far"));
        }
        Steps.sheet(
                out,
                List.of(new ContactSheet.Row(
                        Steps.label(req.promptLow() + " / " + req.promptHigh(), sampler, run), cells)));
        handoff.maybeUpscale(
                job,
                req,
                results,
                req.promptLow(),
                null,
                IllusionSpec.hybrid(req.promptLow(), req.promptHigh(), req.kernelSize(), req.sigma()));
    }
}
