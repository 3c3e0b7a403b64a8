package io.campanile.contracts;

import java.util.Arrays;
import java.util.Optional;

/**
 * The job types the system accepts, with their wire name and the topic that a new job of the type is sent to.
 * Parameters of each type are described by {@link JobParams}.
 */
public enum JobType {
    /** Forward diffusion x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps for each t (DDPM eq. 4). */
    FORWARD("forward", Topics.STAGE1_REQUESTS),
    /** Classical denoising: Gaussian blur of the forward-noised images. */
    BLUR_DENOISE("blur_denoise", Topics.STAGE1_REQUESTS),
    /** One UNet call per t: the clean-image estimate x0_hat from x_t. */
    ONE_STEP_DENOISE("one_step_denoise", Topics.STAGE1_REQUESTS),
    /** The DDPM loop from timesteps[i_start], with intermediates and the one-step and blur results beside it. */
    ITERATIVE_DENOISE("iterative_denoise", Topics.STAGE1_REQUESTS),
    /** Sampling from pure noise, with classifier-free guidance. */
    SAMPLE("sample", Topics.STAGE1_REQUESTS),
    /** SDEdit image-to-image: noise the input to timesteps[i_start] and denoise, for each i_start. */
    SDEDIT("sdedit", Topics.STAGE1_REQUESTS),
    /** Inpainting: new content where the mask is 1, the original elsewhere. */
    INPAINT("inpaint", Topics.STAGE1_REQUESTS),
    /** Visual anagrams: one image that shows another prompt under each view. */
    ANAGRAM("anagram", Topics.STAGE1_REQUESTS),
    /** Hybrid images (factorized diffusion): low frequencies of one prompt, high frequencies of another. */
    HYBRID("hybrid", Topics.STAGE1_REQUESTS),
    /** IF stage II super-resolution of an uploaded image, 64 to 256 pixels. */
    UPSCALE("upscale", Topics.STAGE2_REQUESTS),
    /** Training one of the part-B MNIST UNets. */
    TRAIN("train", Topics.TRAINING_REQUESTS);

    private final String wireName;
    private final String firstTopic;

    JobType(String wireName, String firstTopic) {
        this.wireName = wireName;
        this.firstTopic = firstTopic;
    }

    /** The name used in JSON, e.g. {@code "blur_denoise"}. */
    public String wireName() {
        return wireName;
    }

    /**
     * The topic of the worker that runs this type. A job whose model is conditioned on T5 embeddings goes to
     * {@link Topics#TEXT_ENCODE_REQUESTS} first, and the text encoder forwards it here.
     */
    public String firstTopic() {
        return firstTopic;
    }

    /** Looks a type up by its wire name. */
    public static Optional<JobType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
