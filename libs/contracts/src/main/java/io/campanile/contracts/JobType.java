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
    BLUR_DENOISE("blur_denoise", Topics.STAGE1_REQUESTS);

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

    /** The topic a newly accepted job of this type is published to. */
    public String firstTopic() {
        return firstTopic;
    }

    /** Looks a type up by its wire name. */
    public static Optional<JobType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
