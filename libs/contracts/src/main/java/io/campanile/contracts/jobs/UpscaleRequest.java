package io.campanile.contracts.jobs;

import com.fasterxml.jackson.annotation.JsonValue;
import io.campanile.contracts.BlobRef;
import java.util.List;

/**
 * {@code upscale}: IF stage II super-resolution, 64 to 256 pixels. A stage-I job handed on with {@code upscale: true}
 * arrives as this type too, with no {@code image} and its results as the inputs; anagrams and hybrids keep their
 * illusion at 256 px ({@code illusion}, after visual_anagrams' stage-II sampler).
 */
public record UpscaleRequest(
        @Param(doc = Docs.IMAGE, required = true) BlobRef image,

        @Param(doc = Docs.PROMPT, dflt = Docs.QUALITY_PROMPT, prompt = true)
        String prompt,

        @Param(doc = Docs.NEGATIVE, dflt = "\"\"", prompt = true)
        String negativePrompt,

        @Param(doc = Docs.GUIDANCE, dflt = "4.0", min = 0, max = 100)
        double guidanceScale,

        @Param(
                doc = "how far the upscaled image is noised before conditioning: IF's default 250, or 50 for"
                        + " illusions (visual_anagrams' stage II)",
                min = 0,
                max = 999)
        Integer noiseLevel,

        @Param(doc = "stage-II denoising timesteps (default smart50: 50 steps)")
        TimestepSpec timesteps,

        @Param(doc = Docs.NUM_INFERENCE_STEPS, min = 1, max = 1000)
        Integer numInferenceSteps,

        @Param(doc = Docs.SAMPLER + "; default course, or diffusers with num_inference_steps")
        Sampler sampler,

        @Param(
                doc = "none; anagram: each branch sees its view of x_t and of the upscaled image, and the noise"
                        + " estimates mapped back are averaged; hybrid: low frequencies of prompts[0], high of"
                        + " prompts[1]",
                dflt = "\"none\"")
        Illusion illusion,

        @Param(doc = "the illusion's prompts: one per view (anagram), or [far, near] (hybrid)", prompt = true)
        List<String> prompts,

        @Param(doc = "the anagram's views, one per prompt (as the anagram job's)")
        List<String> views,

        @Param(
                doc = "the hybrid's Gaussian kernel size at the input's scale (as the hybrid job's, default 33);"
                        + " stage II scales it to its own size",
                min = 1,
                max = 99,
                odd = true)
        Integer kernelSize,

        @Param(
                doc = "the hybrid's Gaussian sigma at the input's scale (default 2.0), scaled likewise",
                min = 0.01,
                max = 50)
        Double sigma)
        implements JobRequest {

    /** IF's stage-II list when a job names neither timesteps nor num_inference_steps. */
    public static final String DEFAULT_TIMESTEPS = "smart50";
    /** IF's noise level for plain upscaling. */
    public static final int NOISE_LEVEL = 250;
    /** visual_anagrams' noise level for illusions. */
    public static final int ILLUSION_NOISE_LEVEL = 50;

    /** The list named by {@link #DEFAULT_TIMESTEPS}. */
    public static TimestepSpec defaultTimesteps() {
        return TimestepSpec.named(DEFAULT_TIMESTEPS);
    }

    /** How the branches of a stage-II step combine. */
    public enum Illusion implements Choice {
        NONE("none"),
        ANAGRAM("anagram"),
        HYBRID("hybrid");

        private final String wireName;

        Illusion(String wireName) {
            this.wireName = wireName;
        }

        @Override
        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    @Override
    public UpscaleRequest withDefaults() {
        TimestepSpec.exclusive(timesteps, numInferenceSteps);
        Illusion kind = illusion == null ? Illusion.NONE : illusion;
        Illusions.check(kind, prompts, views, kernelSize, sigma);
        boolean hybrid = kind == Illusion.HYBRID;
        return new UpscaleRequest(
                image,
                prompt,
                negativePrompt,
                guidanceScale,
                noiseLevel != null ? noiseLevel : kind == Illusion.NONE ? NOISE_LEVEL : ILLUSION_NOISE_LEVEL,
                timesteps == null && numInferenceSteps == null ? defaultTimesteps() : timesteps,
                numInferenceSteps,
                Sampler.defaultFor(sampler, numInferenceSteps),
                kind,
                prompts,
                kind == Illusion.ANAGRAM && views == null ? Illusions.DEFAULT_VIEWS : views,
                hybrid && kernelSize == null ? Integer.valueOf(Illusions.KERNEL_SIZE) : kernelSize,
                hybrid && sigma == null ? Double.valueOf(Illusions.SIGMA) : sigma);
    }

    /**
     * The illusion a stage-I job hands on.
     *
     * @param kind none, anagram or hybrid
     * @param prompts the branches' prompts (null for none)
     * @param views the anagram's views (null otherwise)
     * @param kernelSize the hybrid's kernel at the stage-I scale (null otherwise)
     * @param sigma the hybrid's sigma at the stage-I scale (null otherwise)
     */
    public record IllusionSpec(
            Illusion kind, List<String> prompts, List<String> views, Integer kernelSize, Double sigma) {

        public static IllusionSpec none() {
            return new IllusionSpec(Illusion.NONE, null, null, null, null);
        }

        public static IllusionSpec anagram(List<String> prompts, List<String> views) {
            return new IllusionSpec(Illusion.ANAGRAM, prompts, views, null, null);
        }

        public static IllusionSpec hybrid(String far, String near, int kernelSize, double sigma) {
            return new IllusionSpec(Illusion.HYBRID, List.of(far, near), null, kernelSize, sigma);
        }
    }

    /**
     * The stage-II request that continues a stage-I job: IF's stage-II guidance, the job's prompts, its sampler and
     * step count (null for the default list), and its illusion if it made one.
     */
    public static UpscaleRequest handOff(
            String prompt, String negativePrompt, Sampler sampler, Integer numInferenceSteps, IllusionSpec illusion) {
        UpscaleRequest d = JobRequests.defaults(UpscaleRequest.class);
        return new UpscaleRequest(
                        null,
                        prompt,
                        negativePrompt,
                        d.guidanceScale(),
                        null,
                        null,
                        numInferenceSteps,
                        sampler,
                        illusion.kind(),
                        illusion.prompts(),
                        illusion.views(),
                        illusion.kernelSize(),
                        illusion.sigma())
                .withDefaults();
    }
}
