package io.campanile.engine.superres;

import io.campanile.contracts.jobs.Sampler;
import io.campanile.diffusion.views.Views;
import io.campanile.engine.guided.Branch;
import io.campanile.engine.guided.Mix;
import java.util.List;

/**
 * The settings of one stage-II run; every value travels with the job so any result can be replayed.
 *
 * @param timesteps the denoising timesteps, strictly decreasing (smart50 by default)
 * @param noiseLevel how far the upscaled image is noised before it conditions the UNet, also its class_labels
 *     (IF default 250; 50 for illusions)
 * @param guidanceScale classifier-free guidance g (IF stage II default 4.0)
 * @param branches each branch's view (of x_t and of the upscaled image) and prompt: one identity branch for plain
 *     upscaling, an anagram's views and prompts, a hybrid's far and near prompts
 * @param negativePrompt the unconditional prompt ("" by default)
 * @param mix how the branches' guided estimates combine (mean, or a hybrid's low/high split at this resolution)
 * @param sampler the loop ({@link Sampler#guides} decides whether the unconditional rows run)
 */
public record UpscaleSettings(
        int[] timesteps,
        int noiseLevel,
        double guidanceScale,
        List<Branch> branches,
        String negativePrompt,
        Mix mix,
        Sampler sampler) {

    public UpscaleSettings {
        branches = List.copyOf(branches);
        if (branches.isEmpty()) {
            throw new IllegalArgumentException("branches: stage II needs at least one");
        }
    }

    /** Plain upscaling: one branch, the prompt seen as is. */
    public static UpscaleSettings plain(
            int[] timesteps,
            int noiseLevel,
            double guidanceScale,
            String prompt,
            String negativePrompt,
            Sampler sampler) {
        return new UpscaleSettings(
                timesteps,
                noiseLevel,
                guidanceScale,
                List.of(new Branch(Views.parse("identity"), prompt)),
                negativePrompt,
                Mix.mean(),
                sampler);
    }

    /** Whether a step runs the unconditional rows too. */
    public boolean cfg() {
        return sampler.guides(guidanceScale);
    }

    /** The first branch's prompt (the sheet's label). */
    public String prompt() {
        return branches.get(0).prompt();
    }
}
