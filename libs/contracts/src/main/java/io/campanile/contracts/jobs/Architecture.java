package io.campanile.contracts.jobs;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** The three part-B models; the wire names are the {@code architecture} field of a {@code train} job. */
public enum Architecture implements Choice {
    /** Single-step denoiser: UNet(z) = x for z = x + sigma * eps. */
    DENOISER("denoiser"),
    /** DDPM epsilon model conditioned on t / T (FCBlocks added after Unflatten and the first UpBlock). */
    TIME_CONDITIONED("time_conditioned"),
    /** DDPM epsilon model conditioned on t / T and a one-hot class (c * h + t). */
    CLASS_CONDITIONED("class_conditioned");

    private final String wireName;

    Architecture(String wireName) {
        this.wireName = wireName;
    }

    @Override
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Whether the model is a DDPM (time-conditioned), as opposed to the single-step denoiser. */
    public boolean isDiffusion() {
        return this != DENOISER;
    }

    public static Architecture parse(String name) {
        return Arrays.stream(values())
                .filter(a -> a.wireName.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("architecture must be one of denoiser, "
                        + "time_conditioned, class_conditioned (got '" + name + "')"));
    }
}
