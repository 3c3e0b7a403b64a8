package io.campanile.stage1.service;

import io.campanile.contracts.jobs.BlurDenoiseRequest;
import io.campanile.diffusion.image.ContactSheet;
import io.campanile.diffusion.ops.GaussianBlur;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.output.OutputWriter;
import io.campanile.engine.packs.LoadedPack;
import io.campanile.engine.packs.PackModels;
import io.campanile.platform.JobContext;
import java.util.ArrayList;
import java.util.List;

/** {@code blur_denoise}: classical denoising of the forward-noised images with a Gaussian blur. */
public final class BlurDenoiseOperation extends PackOperation<BlurDenoiseRequest> {
    public BlurDenoiseOperation(PackModels packs) {
        super(BlurDenoiseRequest.class, packs, null);
    }

    @Override
    public void run(BlurDenoiseRequest req, JobContext job) {
        LoadedPack p = pack(job);
        OutputWriter out = new OutputWriter(job);
        List<Integer> ts = req.t();
        // 1. The model-sized original.
        Tensor x0 = Steps.original(job, p, req.image());
        out.image("original", x0, p.range());
        List<ContactSheet.Cell> noisy = new ArrayList<>();
        List<ContactSheet.Cell> blurred = new ArrayList<>();
        for (int i = 0; i < ts.size(); i++) {
            job.checkCancelled();
            int t = ts.get(i);
            // 2. The noisy image at t, exactly as the forward job with this seed shows it.
            Tensor xt = Steps.noisy(job, p, x0, t);
            out.image("noisy t=" + t, xt, p.range());
            // 3. Its Gaussian-blurred version.
            Tensor blur = GaussianBlur.blur(xt, req.kernelSize(), req.sigma());
            out.image("blur t=" + t, blur, p.range());
            noisy.add(new ContactSheet.Cell(xt, p.range(), "noisy t=" + t));
            blurred.add(new ContactSheet.Cell(blur, p.range(), "blur t=" + t));
            job.events().progress("blur_denoise", i + 1, ts.size());
        }
        // 4. The figure: noisy images above their blurred versions.
        Steps.sheet(out, List.of(new ContactSheet.Row("noisy", noisy), new ContactSheet.Row("gaussian blur", blurred)));
    }
}
