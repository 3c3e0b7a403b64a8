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
    /** Forward diffusion x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps for each t (DDPM eq. 4). */
    FORWARD("forward", Topics.STAGE1_REQUESTS, ForwardRequest.class),
    /** Classical denoising: Gaussian blur of the forward-noised images. */
    BLUR_DENOISE("blur_denoise", Topics.STAGE1_REQUESTS, BlurDenoiseRequest.class),
    /** One UNet call per t: the clean-image estimate x0_hat from x_t. */
    ONE_STEP_DENOISE("one_step_denoise", Topics.STAGE1_REQUESTS, OneStepDenoiseRequest.class),
    /** The DDPM loop from timesteps[i_start], with intermediates and the one-step and blur results beside it. */
    ITERATIVE_DENOISE("iterative_denoise", Topics.STAGE1_REQUESTS, IterativeDenoiseRequest.class),
    /** Sampling from pure noise, with classifier-free guidance. */
    SAMPLE("sample", Topics.STAGE1_REQUESTS, SampleRequest.class),
    /** SDEdit image-to-image: noise the input to timesteps[i_start] and denoise, for each i_start. */
    SDEDIT("sdedit", Topics.STAGE1_REQUESTS, SdEditRequest.class),
    /** Inpainting: new content where the mask is 1, the original elsewhere. */
    INPAINT("inpaint", Topics.STAGE1_REQUESTS, InpaintRequest.class),
    /** Visual anagrams: one image that shows another prompt under each view. */
    ANAGRAM("anagram", Topics.STAGE1_REQUESTS, AnagramRequest.class),
    /** Hybrid images (factorized diffusion): low frequencies of one prompt, high frequencies of another. */
    HYBRID("hybrid", Topics.STAGE1_REQUESTS, HybridRequest.class),
    /** IF stage II super-resolution of an uploaded image, 64 to 256 pixels. */
    UPSCALE("upscale", Topics.STAGE2_REQUESTS, UpscaleRequest.class),
    /** Training one of the part-B MNIST UNets. */
    TRAIN("train", Topics.TRAINING_REQUESTS, TrainRequest.class);

    private final String wireName;
    private final String firstTopic;
    private final Class<? extends JobRequest> requestType;

    JobType(String wireName, String firstTopic, Class<? extends JobRequest> requestType) {
        this.wireName = wireName;
        this.firstTopic = firstTopic;
        this.requestType = requestType;
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
