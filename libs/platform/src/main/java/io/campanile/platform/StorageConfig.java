package io.campanile.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the storage service listens ({@code campanile.storage.*}). */
@ConfigMapping(prefix = "campanile.storage")
public interface StorageConfig {
    /** Base URL of the storage service's internal API. */
    @WithDefault("http://localhost:8081")
    String url();
}
