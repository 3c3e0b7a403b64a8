package io.campanile.gateway.config;

import io.campanile.diffusion.image.ImageLimits;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Bounds on what a request may ask of the system ({@code campanile.gateway.limits.*}); past one the answer is a 400
 * naming the field. The sizes of images in bytes and pixels are {@code campanile.gateway.max-image-bytes} and
 * {@code max-image-pixels} ({@link GatewayConfig}); prompt and string lengths are fixed by the job contracts.
 */
@ConfigMapping(prefix = "campanile.gateway.limits")
public interface InputLimits {
    /** The longest side of an input image or mask, in pixels, read from its header before decoding. */
    @WithDefault("8192")
    int imageMaxSide();

    /** The largest ratio of an input image's longer side to its shorter one. */
    @WithDefault("16")
    double imageMaxAspectRatio();

    /** The largest decoded raster of an input image (width x height x channels x bit depth), in MiB. */
    @WithDefault("64")
    long imageMaxDecodedMb();

    /**
     * The trainer memory a train job may need (libs/contracts {@code TrainingMemory}: parameters, Adam moments, the
     * batch's activations and gradients), in MiB: the arrays' share of a trainer's memory (the deployed trainer has
     * 8 GiB, of which the JVM heap, the native libraries and MNIST take the rest).
     */
    @WithDefault("4096")
    long trainMemoryMb();

    /** The image limits with the byte and pixel bounds of {@code gateway}. */
    default ImageLimits images(GatewayConfig gateway) {
        return new ImageLimits(
                imageMaxSide(), imageMaxAspectRatio(), gateway.maxImagePixels(), imageMaxDecodedMb() << 20);
    }
}
