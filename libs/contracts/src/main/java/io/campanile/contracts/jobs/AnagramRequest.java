package io.campanile.contracts.jobs;

import java.util.List;

/** {@code anagram}: visual anagrams, one image that shows another prompt under each view. */
public record AnagramRequest(
        @Param(doc = "one prompt per view, two or more", required = true, prompt = true)
        List<String> prompts,

        @Param(
                doc = "a view per prompt: identity, flip, mirror, rot90, rot180, rot270, negate, jigsaw,"
                        + " patch_shuffle_<p>",
                dflt = "[\"identity\", \"flip\"]")
        List<String> views,

        @Param(doc = Docs.NEGATIVE, dflt = "\"\"", prompt = true)
        String negativePrompt,

        @Param(doc = Docs.GUIDANCE, dflt = "7.0", min = 0, max = 100)
        double guidanceScale,

        @Param(doc = Docs.NUM_IMAGES, dflt = "1", min = 1, max = 16)
        int numImages,

        @Param(doc = Docs.TIMESTEPS) TimestepSpec timesteps,

        @Param(doc = Docs.SAMPLER, dflt = Docs.SAMPLER_COURSE)
        Sampler sampler,

        @Param(doc = Docs.UPSCALE, dflt = "false") boolean upscale,

        @Param(doc = Docs.UPSCALE_MODEL, dflt = Docs.UPSCALE_MODEL_DEFAULT)
        String upscaleModel)
        implements Upscalable {}
