package io.campanile.stage1.service;

import io.campanile.contracts.StoredImage;
import io.campanile.contracts.jobs.Sampler;
import io.campanile.contracts.jobs.SdEditRequest;
import io.campanile.contracts.jobs.UpscaleRequest.IllusionSpec;
import io.campanile.diffusion.image.ContactSheet;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.guided.GuidedUnet;
import io.campanile.engine.output.OutputWriter;
import io.campanile.engine.packs.LoadedPack;
import io.campanile.engine.packs.PackModels;
import io.campanile.platform.JobContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sdedit} (Meng et al. 2022): noise the input to timesteps[i_start] and denoise it with guidance, for each
 * i_start; a larger i_start stays closer to the input. With a real prompt this is text-conditioned image-to-image.
 */
public final class SdEditOperation extends PackOperation<SdEditRequest> {
    public SdEditOperation(PackModels packs, Stage2Handoff handoff) {
        super(SdEditRequest.class, packs, handoff);
    }

    @Override
    public void run(SdEditRequest req, JobContext job) {
        LoadedPack p = pack(job);
        OutputWriter out = new OutputWriter(job);
        int[] ts = p.timesteps(req.timesteps(), p::courseTimesteps);
        List<Integer> starts = req.iStart();
        // 1. The model-sized original.
        Tensor x0 = Steps.original(job, p, req.image());
        out.image("original", x0, p.range());
        Sampler sampler = req.sampler();
        GuidedUnet unet = Steps.plainGuided(job, p, req.prompt(), req.negativePrompt(), req.guidanceScale(), sampler);
        List<ContactSheet.Cell> cells = new ArrayList<>();
        List<StoredImage> results = new ArrayList<>();
        for (int k = 0; k < starts.size(); k++) {
            int iStart = starts.get(k);
            // 2. The input noised to timesteps[i_start] (the forward job's noise at that t).
            Tensor x = Steps.noisy(job, p, x0, ts[iStart]).reshape(1, p.channels(), p.size(), p.size());
            // 3. Denoised from there with guidance; each i_start has its own step noise.
            Steps.denoise(
                    job,
                    p,
                    sampler,
                    unet,
                    x,
                    Steps.run(
                            p,
                            ts,
                            iStart,
                            "sdedit i_start=" + iStart,
                            "sdedit " + (k + 1) + "/" + starts.size(),
                            sampler),
                    null);
            Tensor edit = x.item(0);
            results.add(out.image("i_start=" + iStart, edit, p.range()));
            cells.add(new ContactSheet.Cell(edit, p.range(), "i_start=" + iStart));
        }
        // 4. The strip: the edits, then the original.
        cells.add(new ContactSheet.Cell(x0, p.range(), "original"));
        Steps.sheet(out, List.of(new ContactSheet.Row(req.prompt() + " (" + sampler.wireName() + ")", cells)));
        handoff.maybeUpscale(job, req, results, req.prompt(), null, IllusionSpec.none());
    }
}
