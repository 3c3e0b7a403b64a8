package io.campanile.contracts;

import io.campanile.contracts.jobs.AnagramRequest;
import io.campanile.contracts.jobs.BlurDenoiseRequest;
import io.campanile.contracts.jobs.ForwardRequest;
import io.campanile.contracts.jobs.HybridRequest;
import io.campanile.contracts.jobs.InpaintRequest;
import io.campanile.contracts.jobs.IterativeDenoiseRequest;
import io.campanile.contracts.jobs.JobRequest;
import io.campanile.contracts.jobs.JobRequests;
import io.campanile.contracts.jobs.OneStepDenoiseRequest;
import io.campanile.contracts.jobs.SampleRequest;
import io.campanile.contracts.jobs.SdEditRequest;
import io.campanile.contracts.jobs.TrainRequest;
import io.campanile.contracts.jobs.UpscaleRequest;
import java.util.Arrays;
import java.util.Optional;

/**
 * The job types the system accepts, with their wire name and the topic that a new job of the type is sent to.
 * The fields of each type are its request record ({@link #requestType()}; {@link JobRequests} derives the rest).
 */
public enum JobType {
    FORWARD(
            "forward",
            Topics.STAGE1_REQUESTS,
            ForwardRequest.class,
            "Forward diffusion x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps for each t (DDPM eq. 4)."),
    BLUR_DENOISE(
            "blur_denoise",
            Topics.STAGE1_REQUESTS,
            BlurDenoiseRequest.class,
            "Classical denoising: Gaussian blur of the forward-noised images."),
    ONE_STEP_DENOISE(
            "one_step_denoise",
            Topics.STAGE1_REQUESTS,
            OneStepDenoiseRequest.class,
            "One UNet call per t: the clean-image estimate x0_hat from x_t."),
    ITERATIVE_DENOISE(
            "iterative_denoise",
            Topics.STAGE1_REQUESTS,
            IterativeDenoiseRequest.class,
            "The DDPM loop from timesteps[i_start], with intermediates and the one-step and blur results beside it."),
    SAMPLE(
            "sample",
            Topics.STAGE1_REQUESTS,
            SampleRequest.class,
            "Sampling from pure noise, with classifier-free guidance."),
    SDEDIT(
            "sdedit",
            Topics.STAGE1_REQUESTS,
            SdEditRequest.class,
            "SDEdit image-to-image: noise the input to timesteps[i_start] and denoise, for each i_start."),
    INPAINT(
            "inpaint",
            Topics.STAGE1_REQUESTS,
            InpaintRequest.class,
            "Inpainting: new content where the mask is 1, the original elsewhere."),
    ANAGRAM(
            "anagram",
            Topics.STAGE1_REQUESTS,
            AnagramRequest.class,
            "Visual anagrams: one image that shows another prompt under each view."),
    HYBRID(
            "hybrid",
            Topics.STAGE1_REQUESTS,
            HybridRequest.class,
            "Hybrid images (factorized diffusion): low frequencies of one prompt, high frequencies of another."),
    UPSCALE(
            "upscale",
            Topics.STAGE2_REQUESTS,
            UpscaleRequest.class,
            "IF stage II super-resolution of an uploaded image, 64 to 256 pixels."),
    TRAIN("train", Topics.TRAINING_REQUESTS, TrainRequest.class, "Training one of the part-B MNIST UNets.");

    private final String wireName;
    private final String firstTopic;
    private final Class<? extends JobRequest> requestType;
    private final String summary;

    JobType(String wireName, String firstTopic, Class<? extends JobRequest> requestType, String summary) {
        this.wireName = wireName;
        this.firstTopic = firstTopic;
        this.requestType = requestType;
        this.summary = summary;
    }

    /** One line on what the type does (the API's and the dashboard's help text). */
    public String summary() {
        return summary;
    }

    /** The record of this type's fields. */
    public Class<? extends JobRequest> requestType() {
        return requestType;
    }

    /** Whether jobs of this type run a UNet (and so need a pack with weights installed). */
    public boolean needsUnet() {
        return this != FORWARD && this != BLUR_DENOISE && this != TRAIN;
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
