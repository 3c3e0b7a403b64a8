package io.campanile.stage1.service;

import io.campanile.diffusion.image.ContactSheet;
import io.campanile.diffusion.ops.GaussianBlur;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.LoadedPack;
import io.campanile.engine.LoopContext;
import io.campanile.engine.PackModels;
import io.campanile.platform.JobContext;
import io.campanile.stage1.engine.DenoiseLoop;
import io.campanile.stage1.engine.GuidedUnet;
import io.campanile.stage1.engine.Mix;
import io.campanile.stage1.engine.Steps;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code iterative_denoise}: noise the image to timesteps[i_start] and run the DDPM loop to the end of the list,
 * showing every k-th intermediate, with the one-step estimate and a Gaussian blur of the same noisy image beside it.
 */
public final class IterativeDenoiseOperation extends PackOperation {
    public IterativeDenoiseOperation(PackModels packs, Stage2Handoff handoff) {
        super(packs, handoff);
    }

    @Override
    public void run(JobContext job) {
        LoadedPack p = pack(job);
        int[] ts = Steps.timesteps(job, p);
        int iStart = job.intParam("i_start");
        int every = job.intParam("show_every");
        // 1. The original and its noisy version at timesteps[i_start].
        Tensor x0 = Steps.original(job, p);
        job.output("original", x0, p.range());
        int tStart = ts[iStart];
        Tensor xStart = Steps.noisy(job, p, x0, tStart);
        job.output("noisy t=" + tStart, xStart, p.range());
        List<ContactSheet.Cell> strip = new ArrayList<>(List.of(new ContactSheet.Cell(xStart, p.range(),
                "t=" + tStart)));
        // 2. The loop, emitting every k-th intermediate image.
        GuidedUnet unet = Steps.guided(job, p, Steps.plain(job), Mix.mean());
        Tensor x = xStart.reshape(1, p.channels(), p.size(), p.size()).copy();
        DenoiseLoop.run(LoopContext.of(job), p, unet, x, new DenoiseLoop.Run(ts, iStart, "iterative", 0, "iterative_denoise"),
                (i, prevT, xi) -> {
                    if ((i + 1 - iStart) % every == 0 && prevT >= 0) {
                        Tensor shown = Steps.image(xi, 0);
                        job.output("t=" + prevT, shown, p.range());
                        strip.add(new ContactSheet.Cell(shown, p.range(), "t=" + prevT));
                    }
                });
        Tensor result = Steps.image(x, 0);
        io.campanile.contracts.StoredImage stored = job.output("iterative", result, p.range());
        // 3. For comparison: the one-step estimate and the Gaussian blur of the same noisy image.
        Tensor oneStep = p.scheduler().predictOriginal(xStart,
                Steps.image(unet.predict(xStart.reshape(1, p.channels(), p.size(), p.size()), new int[] {tStart})
                        .eps(), 0), tStart);
        job.output("one_step", oneStep, p.range());
        Tensor blur = GaussianBlur.blur(xStart, job.intParam("kernel_size"), job.doubleParam("sigma"));
        job.output("blur", blur, p.range());
        // 4. The figures: the denoising strip, then original | iterative | one-step | blur.
        Steps.sheet(job, List.of(new ContactSheet.Row("i_start=" + iStart, strip),
                new ContactSheet.Row("compare", List.of(new ContactSheet.Cell(x0, p.range(), "original"),
                        new ContactSheet.Cell(result, p.range(), "iterative"),
                        new ContactSheet.Cell(oneStep, p.range(), "one-step"),
                        new ContactSheet.Cell(blur, p.range(), "gaussian blur")))));
        // 5. With upscale: true, stage II continues the job with the iterative result.
        handoff.maybeUpscale(job, List.of(stored), Steps.text(job, "prompt"));
    }
}
