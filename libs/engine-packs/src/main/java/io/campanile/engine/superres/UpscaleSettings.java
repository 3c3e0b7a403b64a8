package io.campanile.engine.superres;

import io.campanile.engine.loop.Guidance;

/**
 * The settings of one stage-II run; every value travels with the job so any result can be replayed.
 *
 * @param timesteps the denoising timesteps, strictly decreasing (smart50 by default)
 * @param noiseLevel how far the upscaled image is noised before it conditions the UNet, also its class_labels
 *     (IF default 250)
 * @param guidanceScale classifier-free guidance g (IF stage II default 4.0); g &lt;= 1 runs the conditional rows only
 * @param prompt the conditional prompt
 * @param negativePrompt the unconditional prompt ("" by default)
 */
public record UpscaleSettings(
        int[] timesteps, int noiseLevel, double guidanceScale, String prompt, String negativePrompt) {

    /** Whether a step runs the unconditional rows too. */
    public boolean cfg() {
        return Guidance.active(guidanceScale);
    }
}
