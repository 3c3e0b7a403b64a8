package io.campanile.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.diffusion.image.ImageCodec;
import io.campanile.diffusion.image.ImageHeader;
import io.campanile.diffusion.image.ImageLimits;
import io.campanile.diffusion.image.InvalidImageException;
import io.campanile.gateway.config.GatewayConfig;
import io.campanile.gateway.config.InputLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Base64;

/**
 * Checks a base64 image field: size in bytes before decoding the base64; side, aspect ratio, pixels and decoded
 * raster size from the header (PNG IHDR, JPEG SOF) before decoding the pixels ({@link ImageLimits}); then a full
 * decode so a truncated file is refused here and not in a worker.
 */
@ApplicationScoped
public class ImageInputChecker {
    private final GatewayConfig config;
    private final ImageLimits limits;

    @Inject
    ImageInputChecker(GatewayConfig config, InputLimits limits) {
        this.config = config;
        this.limits = limits.images(config);
    }

    /** The image bytes (PNG or JPEG), or a 400 naming the field. */
    public byte[] check(String field, JsonNode value) {
        if (!value.isTextual()) {
            throw new InvalidRequestException(field, "'" + field + "' must be a base64 PNG or JPEG string");
        }
        String b64 = stripDataUrl(value.asText().strip());
        long approxBytes = (long) b64.length() * 3 / 4;
        if (approxBytes > config.maxImageBytes() + 3) {
            throw new InvalidRequestException(
                    field,
                    "'" + field + "' is about " + approxBytes + " bytes; the limit is " + config.maxImageBytes());
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field, "'" + field + "' is not valid base64: " + e.getMessage());
        }
        if (bytes.length == 0) {
            throw new InvalidRequestException(field, "'" + field + "' is empty");
        }
        try {
            ImageHeader header = ImageCodec.header(bytes);
            limits.violation(header).ifPresent(problem -> {
                throw new InvalidRequestException(field, "'" + field + "' " + problem);
            });
            ImageCodec.decode(bytes);
        } catch (InvalidImageException e) {
            throw new InvalidRequestException(
                    field, "'" + field + "' is not a decodable PNG or JPEG image: " + e.getMessage());
        }
        return bytes;
    }

    private static String stripDataUrl(String s) {
        if (s.startsWith("data:")) {
            int comma = s.indexOf(',');
            return comma < 0 ? s : s.substring(comma + 1);
        }
        return s;
    }
}
