package io.campanile.trainer.step;

import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;

/** ND4J's configurations of square convolutions and transposed convolutions, without dilation. */
public final class ConvConfigs {
    private ConvConfigs() {}

    /** A transposed convolution (PyTorch's ConvTranspose2d) on {@code format} activations ({@code NHWC}, {@code NCHW}). */
    public static DeConv2DConfig deconv(int k, int stride, int pad, String format) {
        return DeConv2DConfig.builder()
                .kH(k)
                .kW(k)
                .sH(stride)
                .sW(stride)
                .pH(pad)
                .pW(pad)
                .dH(1)
                .dW(1)
                .isSameMode(false)
                .dataFormat(format)
                .build();
    }

    /** A convolution on channel-last (NHWC) activations. */
    public static Conv2DConfig nhwc(int k, int stride, int pad) {
        return conv(k, stride, pad, "NHWC");
    }

    /** A convolution on {@code format} activations ({@code NHWC}, {@code NCHW}). */
    public static Conv2DConfig conv(int k, int stride, int pad, String format) {
        return Conv2DConfig.builder()
                .kH(k)
                .kW(k)
                .sH(stride)
                .sW(stride)
                .pH(pad)
                .pW(pad)
                .dH(1)
                .dW(1)
                .dataFormat(format)
                .build();
    }
}
