package io.campanile.contracts.jobs;

import com.fasterxml.jackson.annotation.JsonValue;
import io.campanile.contracts.BlobRef;

/** {@code inpaint}: new content where the mask is 1, the original elsewhere. */
public record InpaintRequest(
        @Param(doc = Docs.IMAGE, required = true) BlobRef image,

        @Param(
                doc = "inpainting mask, base64 PNG or JPEG: white (1) where new content goes, black (0) where the"
                        + " image is kept",
                required = true)
        BlobRef mask,

        @Param(doc = Docs.PROMPT, dflt = Docs.QUALITY_PROMPT, prompt = true)
        String prompt,

        @Param(doc = Docs.NEGATIVE, dflt = "\"\"", prompt = true)
        String negativePrompt,

        @Param(doc = Docs.GUIDANCE, dflt = "7.0", min = 0, max = 100)
        double guidanceScale,

        @Param(
                doc = "repaint: re-noise the kept region to x_t after every step (the course); keep_clean: keep the"
                        + " clean original there (diffusers)",
                dflt = "\"repaint\"")
        Mode mode,

        @Param(doc = Docs.NUM_IMAGES, dflt = "1", min = 1, max = 16)
        int numImages,

        @Param(doc = Docs.TIMESTEPS) TimestepSpec timesteps,

        @Param(doc = Docs.SAMPLER, dflt = Docs.SAMPLER_COURSE)
        Sampler sampler,

        @Param(doc = Docs.UPSCALE, dflt = "false") boolean upscale,

        @Param(doc = Docs.UPSCALE_MODEL, dflt = Docs.UPSCALE_MODEL_DEFAULT)
        String upscaleModel)
        implements Upscalable {

    /** What the kept region is set to after every step. */
    public enum Mode implements Choice {
        /** The original noised to the step's timestep (RePaint, Lugmayr et al. 2022; the course). */
        REPAINT("repaint"),
        /** The clean original (diffusers). */
        KEEP_CLEAN("keep_clean");

        private final String wireName;

        Mode(String wireName) {
            this.wireName = wireName;
        }

        @Override
        @JsonValue
        public String wireName() {
            return wireName;
        }
    }
}
