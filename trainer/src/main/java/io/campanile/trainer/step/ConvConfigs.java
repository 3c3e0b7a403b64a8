package io.campanile.trainer.step;

import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;

/** ND4J's configuration of a square convolution on channel-last (NHWC) activations, without dilation. */
public final class ConvConfigs {
    private ConvConfigs() {}

    public static Conv2DConfig nhwc(int k, int stride, int pad) {
        return Conv2DConfig.builder()
                .kH(k)
                .kW(k)
                .sH(stride)
                .sW(stride)
                .pH(pad)
                .pW(pad)
                .dH(1)
                .dW(1)
                .dataFormat("NHWC")
                .build();
    }
}
