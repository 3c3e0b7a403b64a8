package io.campanile.stage1.service;

import io.campanile.contracts.StoredImage;
import io.campanile.diffusion.image.ContactSheet;
import io.campanile.diffusion.ops.GaussianBlur;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.diffusion.views.Views;
import io.campanile.engine.LoadedPack;
import io.campanile.engine.LoopContext;
import io.campanile.engine.PackModels;
import io.campanile.platform.JobContext;
import io.campanile.stage1.engine.Branch;
import io.campanile.stage1.engine.DenoiseLoop;
import io.campanile.stage1.engine.Mix;
import io.campanile.stage1.engine.Steps;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code hybrid} (factorized diffusion, Geng et al. 2024): each step mixes the low frequencies of the guided estimate
 * for {@code prompt_low} with the high frequencies of the one for {@code prompt_high}: eps = lowpass(eps_low) +
 * highpass(eps_high), Gaussian kernel 33 and sigma 2 by default. Seen from far the image shows prompt_low.
 */
public final class HybridOperation extends PackOperation {
    public HybridOperation(PackModels packs, Stage2Handoff handoff) {
        super(packs, handoff);
    }

    @Override
    public void run(JobContext job) {
        LoadedPack p = pack(job);
        int n = job.intParam("num_images");
        int kernel = job.intParam("kernel_size");
        double sigma = job.doubleParam("sigma");
        String low = Steps.text(job, "prompt_low");
        String high = Steps.text(job, "prompt_high");
        // 1. Two branches, both of the image as is.
        List<Branch> branches = List.of(new Branch(Views.parse("identity"), low),
                new Branch(Views.parse("identity"), high));
        // 2. From pure noise with the low/high mix at every step.
        Tensor x = Steps.pureNoise(job, p, "hybrid init", n);
        DenoiseLoop.run(LoopContext.of(job), p, Steps.guided(job, p, branches, Mix.lowHigh(kernel, sigma)), x,
                new DenoiseLoop.Run(Steps.timesteps(job, p), 0, "hybrid", 0, "hybrid"), null);
        // 3. The hybrids, and how each looks from far (its low-passed version).
        List<StoredImage> results = new ArrayList<>();
        List<ContactSheet.Cell> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Tensor img = Steps.image(x, i);
            results.add(job.output("hybrid " + (i + 1), img, p.range()));
            cells.add(new ContactSheet.Cell(img, p.range(), "hybrid " + (i + 1)));
            cells.add(new ContactSheet.Cell(GaussianBlur.blur(img, kernel, sigma), p.range(), "from far"));
        }
        Steps.sheet(job, List.of(new ContactSheet.Row(low + " / " + high, cells)));
        handoff.maybeUpscale(job, results, low);
    }
}
