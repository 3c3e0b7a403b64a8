package io.campanile.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Settings of the trainer ({@code campanile.trainer.*}). */
@ConfigMapping(prefix = "campanile.trainer")
public interface TrainerConfig {
    /** Folder with the four MNIST IDX gzip files (train/t10k images and labels), checked against their SHA-256. */
    @WithDefault("../shared/data/mnist")
    String mnistDir();

    /** Base URL to download missing MNIST files from (e.g. a mirror); unset: no download. */
    Optional<String> mnistUrl();

    /**
     * Folder of model packs (the stage-1 worker's {@code campanile.packs.dir}); when set, a finished
     * time- or class-conditioned training job is exported there as pack {@code mnist-<architecture>-<job id>}.
     */
    Optional<String> packsDir();
}
