package io.campanile.stage1.service;

import io.campanile.contracts.StoredImage;
import io.campanile.contracts.jobs.AnagramRequest;
import io.campanile.contracts.jobs.Sampler;
import io.campanile.contracts.jobs.UpscaleRequest.IllusionSpec;
import io.campanile.diffusion.image.ContactSheet;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.diffusion.views.View;
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
 * {@code anagram} (visual anagrams, Geng et al. 2024): each step averages the guided noise estimates of every
 * (prompt, view) pair, each computed on view(x_t) and mapped back by the inverse view: eps = mean_k
 * view_k^-1(eps(view_k(x_t), p_k)). The result shows prompt k when looked at through view k.
 */
public final class AnagramOperation extends PackOperation<AnagramRequest> {
    public AnagramOperation(PackModels packs, Stage2Handoff handoff) {
        super(AnagramRequest.class, packs, handoff);
    }

    @Override
    public void run(AnagramRequest req, JobContext job) {
        LoadedPack p = pack(job);
        OutputWriter out = new OutputWriter(job);
        int n = req.numImages();
        // 1. One branch per (prompt, view).
        List<String> prompts = req.prompts();
        List<View> views = req.views().stream().map(Views::parse).toList();
        List<Branch> branches = new ArrayList<>();
        for (int k = 0; k < prompts.size(); k++) {
            branches.add(new Branch(views.get(k), prompts.get(k)));
        }
        // 2. From pure noise; every step runs all branches of all images in one UNet call.
        Tensor x = Steps.pureNoise(job, p, "anagram init", n);
        Sampler sampler = req.sampler();
        DenoiseLoop.Run run =
                Steps.run(p, p.timesteps(req.timesteps(), p::courseTimesteps), 0, "anagram", "anagram", sampler);
        Steps.denoise(
                job,
                p,
                sampler,
                Steps.guided(job, p, branches, req.negativePrompt(), req.guidanceScale(), Mix.mean(), sampler),
                x,
                run,
                null);
        // 3. Each image as made, and as seen through each other view.
        List<StoredImage> results = new ArrayList<>();
        List<ContactSheet.Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Tensor img = x.item(i);
            results.add(out.image("anagram " + (i + 1), img, p.range()));
            List<ContactSheet.Cell> cells = new ArrayList<>();
            for (int k = 0; k < branches.size(); k++) {
                Tensor seen = views.get(k).apply(img);
                if (!"identity".equals(views.get(k).name())) {
                    out.image("anagram " + (i + 1) + " view=" + views.get(k).name(), seen, p.range());
                }
                cells.add(new ContactSheet.Cell(seen, p.range(), views.get(k).name() + ": " + prompts.get(k)));
            }
            rows.add(new ContactSheet.Row(Steps.label("anagram " + (i + 1), sampler, run), cells));
        }
        Steps.sheet(out, rows);
        handoff.maybeUpscale(job, req, results, prompts.get(0), null, IllusionSpec.anagram(prompts, req.views()));
    }
}
