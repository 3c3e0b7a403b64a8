package io.campanile.stage1.service;

import io.campanile.contracts.StoredImage;
import io.campanile.contracts.jobs.IterativeDenoiseRequest;
import io.campanile.contracts.jobs.Sampler;
import io.campanile.contracts.jobs.UpscaleRequest.IllusionSpec;
import io.campanile.diffusion.image.ContactSheet;
import io.campanile.diffusion.ops.GaussianBlur;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.guided.GuidedUnet;
import io.campanile.engine.loop.DenoiseLoop;
import io.campanile.engine.output.OutputWriter;
import io.campanile.engine.packs.LoadedPack;
import io.campanile.engine.packs.PackModels;
import io.campanile.platform.JobContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code iterative_denoise}: noise the image to timesteps[i_start] and run the DDPM loop to the end of the list,
 * showing every k-th intermediate, with the one-step estimate and a Gaussian blur of the same noisy image beside it.
 */
public final class IterativeDenoiseOperation extends PackOperation<IterativeDenoiseRequest> {
    public IterativeDenoiseOperation(PackModels packs, Stage2Handoff handoff) {
        super(IterativeDenoiseRequest.class, packs, handoff);
    }

    @Override
    public void run(IterativeDenoiseRequest req, JobContext job) {
        LoadedPack p = pack(job);
        OutputWriter out = new OutputWriter(job);
        int[] ts = p.timesteps(req.timesteps(), p::courseTimesteps);
        int iStart = req.iStart();
        int every = req.showEvery();
        // 1. The original and its noisy version at timesteps[i_start].
        Tensor x0 = Steps.original(job, p, req.image());
        out.image("original", x0, p.range());
        int tStart = ts[iStart];
        Tensor xStart = Steps.noisy(job, p, x0, tStart);
        out.image("noisy t=" + tStart, xStart, p.range());
        List<ContactSheet.Cell> strip =
                new ArrayList<>(List.of(new ContactSheet.Cell(xStart, p.range(), "t=" + tStart)));
        // 2. The loop, emitting every k-th intermediate image.
        Sampler sampler = req.sampler();
        GuidedUnet unet = Steps.plainGuided(job, p, req.prompt(), req.negativePrompt(), req.guidanceScale(), sampler);
        Tensor x = xStart.reshape(1, p.channels(), p.size(), p.size()).copy();
        DenoiseLoop.Run run = Steps.run(p, ts, iStart, "iterative", "iterative_denoise", sampler);
        Steps.denoise(job, p, sampler, unet, x, run, (i, prevT, xi) -> {
            if ((i + 1 - iStart) % every == 0 && prevT >= 0) {
                Tensor shown = xi.item(0);
                out.image("t=" + prevT, shown, p.range());
                strip.add(new ContactSheet.Cell(shown, p.range(), "t=" + prevT));
            }
        });
        Tensor result = x.item(0);
        StoredImage stored = out.image("iterative", result, p.range());
        // 3. For comparison: the one-step estimate and the Gaussian blur of the same noisy image.
        Tensor oneStep = p.scheduler(sampler)
                .predictOriginal(
                        xStart,
                        unet.predict(xStart.reshape(1, p.channels(), p.size(), p.size()), tStart)
                                .eps()
                                .item(0),
                        tStart);
        out.image("one_step", oneStep, p.range());
        Tensor blur = GaussianBlur.blur(xStart, req.kernelSize(), req.sigma());
        out.image("blur", blur, p.range());
        // 4. The figures: the denoising strip, then original | iterative | one-step | blur.
        Steps.sheet(
                out,
                List.of(
                        new ContactSheet.Row(Steps.label("i_start=" + iStart, sampler, run), strip),
                        new ContactSheet.Row(
                                "compare",
                                List.of(
                                        new ContactSheet.Cell(x0, p.range(), "original"),
                                        new ContactSheet.Cell(result, p.range(), "iterative"),
                                        new ContactSheet.Cell(oneStep, p.range(), "one-step"),
                                        new ContactSheet.Cell(blur, p.range(), "gaussian blur")))));
        // 5. With upscale: true, stage II continues the job with the iterative result.
        handoff.maybeUpscale(job, req, List.of(stored), req.prompt(), null, IllusionSpec.none());
    }
}
