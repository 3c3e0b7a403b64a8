package io.campanile.trainer.step;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DeConv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's convolution kernels (oneDNN where the native build has it) called directly, forward and backward, with
 * outputs the caller allocates. Weight layouts as the SameDiff graph: conv [kH, kW, in, out], transposed conv
 * [kH, kW, out, in], NHWC activations.
 */
final class NdConv {
    private NdConv() {}

    private static int[] ints(long[] args) {
        return Arrays.stream(args).mapToInt(Math::toIntExact).toArray();
    }

    /** A convolution-like layer with weights w, bias b: out = op(x). */
    interface Op {
        /** Output channels for weights w. */
        long outChannels(INDArray w);

        long outSize(long in);

        void forward(INDArray x, INDArray w, INDArray b, INDArray out);

        /** Writes dL/dx, dL/dw and dL/db from dL/dout. */
        void backward(
                INDArray x, INDArray w, INDArray b, INDArray gradOut, INDArray gradIn, INDArray gradW, INDArray gradB);
    }

    /** A k x k convolution with the given stride and padding. */
    record Conv(int k, int stride, int pad) implements Op {
        @Override
        public long outChannels(INDArray w) {
            return w.size(3);
        }

        Conv2DConfig config() {
            return ConvConfigs.nhwc(k, stride, pad);
        }

        @Override
        public long outSize(long in) {
            return (in + 2L * pad - k) / stride + 1;
        }

        @Override
        public void forward(INDArray x, INDArray w, INDArray b, INDArray out) {
            Nd4j.getExecutioner().exec(new Conv2D(x, w, b, out, config()));
        }

        @Override
        public void backward(
                INDArray x, INDArray w, INDArray b, INDArray gradOut, INDArray gradIn, INDArray gradW, INDArray gradB) {
            long[] args = new Conv2D(x, w, b, config()).iArgs();
            Nd4j.getExecutioner()
                    .exec(DynamicCustomOp.builder("conv2d_bp")
                            .addInputs(x, w, b, gradOut)
                            .addOutputs(gradIn, gradW, gradB)
                            .addIntegerArguments(ints(args))
                            .build());
        }
    }

    /** A k x k transposed convolution with the given stride and padding (PyTorch's ConvTranspose2d). */
    record Deconv(int k, int stride, int pad) implements Op {
        @Override
        public long outChannels(INDArray w) {
            return w.size(2);
        }

        DeConv2DConfig config() {
            return ConvConfigs.deconv(k, stride, pad, "NHWC");
        }

        @Override
        public long outSize(long in) {
            return stride * (in - 1) + k - 2L * pad;
        }

        @Override
        public void forward(INDArray x, INDArray w, INDArray b, INDArray out) {
            Nd4j.getExecutioner().exec(new DeConv2D(x, w, b, out, config()));
        }

        @Override
        public void backward(
                INDArray x, INDArray w, INDArray b, INDArray gradOut, INDArray gradIn, INDArray gradW, INDArray gradB) {
            long[] args = new DeConv2D(x, w, b, config()).iArgs();
            Nd4j.getExecutioner()
                    .exec(DynamicCustomOp.builder("deconv2d_bp")
                            .addInputs(x, w, b, gradOut)
                            .addOutputs(gradIn, gradW, gradB)
                            .addIntegerArguments(ints(args))
                            .build());
        }
    }
}
