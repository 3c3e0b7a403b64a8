package io.campanile.stage1.service;

import io.campanile.diffusion.image.ContactSheet;
import io.campanile.diffusion.ops.GaussianBlur;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.LoadedPack;
import io.campanile.engine.PackModels;
import io.campanile.platform.JobContext;
import io.campanile.stage1.engine.Steps;
import java.util.ArrayList;
import java.util.List;

/** {@code blur_denoise}: classical denoising of the forward-noised images with a Gaussian blur. */
public final class BlurDenoiseOperation extends PackOperation {
    public BlurDenoiseOperation(PackModels packs) {
        super(packs, null);
    }

    @Override
    public void run(JobContext job) {
        LoadedPack p = pack(job);
        List<Integer> ts = job.intListParam("t");
        int kernel = job.intParam("kernel_size");
        double sigma = job.doubleParam("sigma");
        // 1. The model-sized original.
        Tensor x0 = Steps.original(job, p);
        job.output("original", x0, p.range());
        List<ContactSheet.Cell> noisy = new ArrayList<>();
        List<ContactSheet.Cell> blurred = new ArrayList<>();
        for (int i = 0; i < ts.size(); i++) {
            job.checkCancelled();
            int t = ts.get(i);
            // 2. The noisy image at t, exactly as the forward job with this seed shows it.
            Tensor xt = Steps.noisy(job, p, x0, t);
            job.output("noisy t=" + t, xt, p.range());
            // 3. Its Gaussian-blurred version.
            Tensor blur = GaussianBlur.blur(xt, kernel, sigma);
            job.output("blur t=" + t, blur, p.range());
            noisy.add(new ContactSheet.Cell(xt, p.range(), "noisy t=" + t));
            blurred.add(new ContactSheet.Cell(blur, p.range(), "blur t=" + t));
            job.progress("blur_denoise", i + 1, ts.size());
        }
        // 4. The figure: noisy images above their blurred versions.
        Steps.sheet(job, List.of(new ContactSheet.Row("noisy", noisy), new ContactSheet.Row("gaussian blur", blurred)));
    }
}
