package io.campanile.contracts.jobs;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Which reverse-diffusion loop a part-A job runs. Both share the schedule, the timestep list, x0_hat, the posterior
 * mean and the learned-range variance; they differ where the course's notebook and diffusers' IF pipelines differ.
 */
public enum Sampler implements Choice {
    /**
     * The CS180 writeup's loop: x0_hat unthresholded and unclipped (eq. A.3), {@code for i in range(i_start,
     * len(timesteps) - 1)} with noise added at every step, the image at the last timestep as the result
     * (len(timesteps) - 1 - i_start UNet calls), and classifier-free guidance by eq. A.4 for every scale.
     */
    COURSE("course"),
    /**
     * diffusers' DDPMScheduler as DeepFloyd IF configures it: dynamic thresholding of x0_hat from the pack, a step
     * from the last timestep to the clean image (one UNet call per timestep), and guidance only when g &gt; 1.
     */
    DIFFUSERS("diffusers");

    private final String wireName;

    Sampler(String wireName) {
        this.wireName = wireName;
    }

    @Override
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Whether a step runs the unconditional branch for classifier-free guidance at scale g. */
    public boolean guides(double g) {
        return this == COURSE ? g != 1.0 : g > 1.0;
    }

    /** Whether x0_hat is thresholded as the pack's scheduler says (the course never thresholds). */
    public boolean thresholds() {
        return this == DIFFUSERS;
    }

    /** Whether the loop ends with a step from the last timestep to the clean image. */
    public boolean stepsToClean() {
        return this == DIFFUSERS;
    }

    /**
     * The sampler a job gets when it names none: diffusers' when it sets {@code num_inference_steps} (the pipeline's
     * parameter, as in part 0 of the writeup), the course's otherwise.
     */
    public static Sampler defaultFor(Sampler chosen, Integer numInferenceSteps) {
        if (chosen != null) {
            return chosen;
        }
        return numInferenceSteps != null ? DIFFUSERS : COURSE;
    }
}
