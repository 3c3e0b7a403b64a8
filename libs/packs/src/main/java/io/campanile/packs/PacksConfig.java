package io.campanile.packs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where model packs live ({@code campanile.packs.*}); the gateway reads manifests, workers load graphs. */
@ConfigMapping(prefix = "campanile.packs")
public interface PacksConfig {
    /** Folder with one sub-folder per pack ({@code /packs} in containers, {@code .campanile/packs} locally). */
    @WithDefault("packs")
    String dir();
}
