package io.campanile.stage2.service;

import io.campanile.contracts.jobs.UpscaleRequest;
import io.campanile.diffusion.schedule.Timesteps;
import io.campanile.diffusion.views.View;
import io.campanile.diffusion.views.Views;
import io.campanile.engine.guided.Branch;
import io.campanile.engine.guided.Mix;
import io.campanile.engine.packs.LoadedPack;
import io.campanile.engine.superres.UpscaleSettings;
import io.campanile.platform.JobFailedException;
import java.util.ArrayList;
import java.util.List;

/**
 * An upscale job's request as stage-II settings: its timesteps (a list, diffusers' step count, or smart50), its
 * sampler, and its branches. Plain upscaling is one branch of the prompt as is; an anagram keeps one branch per
 * (prompt, view), each seeing its view of x_t and of the upscaled image, averaged; a hybrid keeps its far and near
 * prompts with the low-pass scaled from the stage-I image to this pack's size, so the same frequencies split.
 */
final class StageTwoSettings {
    private StageTwoSettings() {}

    /**
     * @param inputSize the side of the stage-I images (64 for IF)
     */
    static UpscaleSettings of(UpscaleRequest req, LoadedPack p, int inputSize) {
        int[] ts = p.timesteps(
                req.timesteps(), req.numInferenceSteps(), () -> Timesteps.named(UpscaleRequest.DEFAULT_TIMESTEPS));
        List<Branch> branches = new ArrayList<>();
        Mix mix = Mix.mean();
        switch (req.illusion()) {
            case NONE -> branches.add(new Branch(Views.parse("identity"), req.prompt()));
            case ANAGRAM -> {
                for (int k = 0; k < req.prompts().size(); k++) {
                    branches.add(
                            new Branch(view(req.views().get(k)), req.prompts().get(k)));
                }
            }
            case HYBRID -> {
                branches.add(new Branch(Views.parse("identity"), req.prompts().get(0)));
                branches.add(new Branch(Views.parse("identity"), req.prompts().get(1)));
                double scale = (double) p.size() / inputSize;
                mix = Mix.lowHigh(scaledKernel(req.kernelSize(), scale), req.sigma() * scale);
            }
        }
        return new UpscaleSettings(
                ts, req.noiseLevel(), req.guidanceScale(), branches, req.negativePrompt(), mix, req.sampler());
    }

    /** The odd kernel whose half-width is the stage-I half-width times {@code scale}: 33 at 64 px is 129 at 256. */
    static int scaledKernel(int kernelSize, double scale) {
        return 2 * (int) Math.round((kernelSize - 1) / 2.0 * scale) + 1;
    }

    /** The anagram's views as the results are shown through (identity excluded). */
    static List<View> shownViews(UpscaleRequest req) {
        if (req.illusion() != UpscaleRequest.Illusion.ANAGRAM) {
            return List.of();
        }
        return req.views().stream()
                .map(StageTwoSettings::view)
                .filter(v -> !"identity".equals(v.name()))
                .toList();
    }

    private static View view(String name) {
        try {
            return Views.parse(name);
        } catch (IllegalArgumentException e) {
            throw new JobFailedException(e.getMessage());
        }
    }
}
