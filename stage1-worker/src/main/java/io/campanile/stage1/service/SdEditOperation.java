package io.campanile.stage1.service;

import io.campanile.contracts.StoredImage;
import io.campanile.diffusion.image.ContactSheet;
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
 * {@code sdedit} (Meng et al. 2022): noise the input to timesteps[i_start] and denoise it with guidance, for each
 * i_start; a larger i_start stays closer to the input. With a real prompt this is text-conditioned image-to-image.
 */
public final class SdEditOperation extends PackOperation {
    public SdEditOperation(PackModels packs, Stage2Handoff handoff) {
        super(packs, handoff);
    }

    @Override
    public void run(JobContext job) {
        LoadedPack p = pack(job);
        int[] ts = Steps.timesteps(job, p);
        List<Integer> starts = job.intListParam("i_start");
        // 1. The model-sized original.
        Tensor x0 = Steps.original(job, p);
        job.output("original", x0, p.range());
        GuidedUnet unet = Steps.guided(job, p, Steps.plain(job), Mix.mean());
        List<ContactSheet.Cell> cells = new ArrayList<>();
        List<StoredImage> results = new ArrayList<>();
        for (int k = 0; k < starts.size(); k++) {
            int iStart = starts.get(k);
            // 2. The input noised to timesteps[i_start] (the forward job's noise at that t).
            Tensor x = Steps.noisy(job, p, x0, ts[iStart]).reshape(1, p.channels(), p.size(), p.size());
            // 3. Denoised from there with guidance; each i_start has its own step noise.
            DenoiseLoop.run(LoopContext.of(job), p, unet, x, new DenoiseLoop.Run(ts, iStart, "sdedit i_start=" + iStart, 0,
                    "sdedit " + (k + 1) + "/" + starts.size()), null);
            Tensor edit = Steps.image(x, 0);
            results.add(job.output("i_start=" + iStart, edit, p.range()));
            cells.add(new ContactSheet.Cell(edit, p.range(), "i_start=" + iStart));
        }
        // 4. The strip: the edits, then the original.
        cells.add(new ContactSheet.Cell(x0, p.range(), "original"));
        Steps.sheet(job, List.of(new ContactSheet.Row(Steps.text(job, "prompt"), cells)));
        handoff.maybeUpscale(job, results, Steps.text(job, "prompt"));
    }
}
