package io.campanile.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Gateway settings ({@code campanile.gateway.*}). */
@ConfigMapping(prefix = "campanile.gateway")
public interface GatewayConfig {
    /** Largest accepted image or mask, in bytes after base64 decoding; checked before decoding. */
    @WithDefault("16777216")
    long maxImageBytes();

    /** Largest accepted image or mask in pixels (width x height), read from the header before decoding. */
    @WithDefault("16777216")
    long maxImagePixels();

    /** The model pack a job runs on when the request names none (packs are listed by {@code GET /v1/models}). */
    @WithDefault("IF-I-XL-v1.0")
    String defaultModel();

    /** Largest page of {@code GET /v1/jobs}. */
    @WithDefault("100")
    int maxPageSize();
}
