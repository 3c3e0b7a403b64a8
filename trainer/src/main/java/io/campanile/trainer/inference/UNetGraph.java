package io.campanile.trainer.inference;

import io.campanile.trainer.model.UNetLayers;
import io.campanile.trainer.model.UNetSpec;
import io.campanile.trainer.model.UNetTopology;
import io.campanile.trainer.step.ConvConfigs;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the course UNet ({@link UNetTopology}) as a SameDiff graph, in a training or an inference form that share
 * variable names, so weights copy between them by name.
 *
 * <p>Placeholders: {@code x} float [B, 1, 28, 28]; {@code t} float [B, 1] = t / T (time- and class-conditioned);
 * {@code c} float [B, K] one-hot or zeros (class-conditioned); {@code target} float [B, 1, 28, 28] (training form).
 * Output {@code out} [B, 1, 28, 28]; loss {@code loss} = mean squared error (training form).
 *
 * <p>Weight layouts: conv {@code <name>_W} [kH, kW, in, out]; transposed conv [kH, kW, out, in]; linear [in, out];
 * batch norm {@code _gamma}, {@code _beta}, running {@code _rmean}, {@code _rvar} [1, C, 1, 1]. GELU is the exact erf
 * form and batch norm is written from mean/variance ops (SameDiff's own are approximate or not differentiable in
 * M2.1). In the training form each batch norm also exposes its batch {@code _bmean} and biased {@code _bvar}.
 */
public final class UNetGraph {
    public static final String X = "x";
    public static final String T = "t";
    public static final String C = "c";
    public static final String TARGET = "target";
    public static final String OUT = "out";
    public static final String LOSS = "loss";

    private final SameDiff sd = SameDiff.create();
    private final UNetSpec spec;
    private final boolean training;
    private final SplittableRandom random;
    private final List<String> batchNorms = new ArrayList<>();

    private UNetGraph(UNetSpec spec, boolean training, long seed) {
        this.spec = spec;
        this.training = training;
        this.random = new SplittableRandom(seed);
    }

    /** A graph with PyTorch-style initial weights U(-1/sqrt(fan_in), 1/sqrt(fan_in)) drawn from {@code seed}. */
    public static UNetGraph build(UNetSpec spec, boolean training, long seed) {
        UNetGraph g = new UNetGraph(spec, training, seed);
        SDVariable out = UNetTopology.build(spec, g.new Layers()).rename(OUT);
        if (training) {
            SDVariable target = g.sd.placeHolder(TARGET, DataType.FLOAT, -1, 1, UNetSpec.SIZE, UNetSpec.SIZE);
            SDVariable diff = out.sub(target);
            diff.mul(diff).mean().rename(LOSS);
            g.sd.setLossVariables(LOSS);
        }
        return g;
    }

    /** The placeholder an input is fed through. */
    public static String placeholder(UNetLayers.Input input) {
        return switch (input) {
            case IMAGE -> X;
            case TIME -> T;
            case CLASS -> C;
        };
    }

    public SameDiff sameDiff() {
        return sd;
    }

    public UNetSpec spec() {
        return spec;
    }

    /** Name prefixes of the batch norms, in graph order. */
    public List<String> batchNorms() {
        return List.copyOf(batchNorms);
    }

    /** Exact GELU: x * 0.5 * (1 + erf(x / sqrt 2)), as PyTorch's default and ONNX Gelu. */
    SDVariable gelu(SDVariable x) {
        return x.mul(0.5).mul(sd.math().erf(x.mul(1.0 / Math.sqrt(2.0))).add(1.0));
    }

    private SDVariable weight(String name, int fanIn, long... shape) {
        float bound = (float) (1.0 / Math.sqrt(fanIn));
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        INDArray arr = Nd4j.create(v, shape, 'c');
        return sd.var(name, arr);
    }

    /** The layers as SameDiff ops on NCHW variables. */
    private final class Layers implements UNetLayers<SDVariable> {
        @Override
        public SDVariable input(Input input) {
            long[] shape = input.shape(spec, -1);
            return sd.placeHolder(placeholder(input), DataType.FLOAT, shape);
        }

        @Override
        public SDVariable conv(String name, SDVariable x, int in, int out, int stride) {
            SDVariable w = weight(name + "_W", in * 9, 3, 3, in, out);
            SDVariable b = weight(name + "_b", in * 9, out);
            return sd.cnn().conv2d(x, w, b, ConvConfigs.conv(3, stride, 1, "NCHW"));
        }

        /** fan_in as PyTorch computes it for a transposed conv (out * k * k). */
        @Override
        public SDVariable deconv(String name, SDVariable x, int in, int out, int k, int stride, int pad) {
            SDVariable w = weight(name + "_W", out * k * k, k, k, out, in);
            SDVariable b = weight(name + "_b", out * k * k, out);
            return sd.cnn().deconv2d(x, w, b, ConvConfigs.deconv(k, stride, pad, "NCHW"));
        }

        @Override
        public SDVariable bnGelu(String name, SDVariable x, int ch) {
            batchNorms.add(name);
            SDVariable gamma = sd.var(name + "_gamma", Nd4j.ones(DataType.FLOAT, 1, ch, 1, 1));
            SDVariable beta = sd.var(name + "_beta", Nd4j.zeros(DataType.FLOAT, 1, ch, 1, 1));
            SDVariable rmean = sd.constant(name + "_rmean", Nd4j.zeros(DataType.FLOAT, 1, ch, 1, 1));
            SDVariable rvar = sd.constant(name + "_rvar", Nd4j.ones(DataType.FLOAT, 1, ch, 1, 1));
            SDVariable mean;
            SDVariable var;
            SDVariable centred;
            if (training) {
                mean = x.mean(true, 0, 2, 3).rename(name + "_bmean");
                centred = x.sub(mean);
                var = centred.mul(centred).mean(true, 0, 2, 3).rename(name + "_bvar");
            } else {
                mean = rmean;
                var = rvar;
                centred = x.sub(mean);
            }
            // one broadcast multiply by gamma / sqrt(var + eps): ND4J's broadcast multiply_bp is the costly op here
            SDVariable scale = gamma.mul(sd.math().rsqrt(var.add(UNetTopology.BN_EPS)));
            return gelu(centred.mul(scale).add(beta));
        }

        @Override
        public SDVariable avgPool(SDVariable x) {
            return x.mean(true, 2, 3);
        }

        @Override
        public SDVariable gelu(SDVariable x) {
            return UNetGraph.this.gelu(x);
        }

        @Override
        public SDVariable linear(String name, SDVariable x, int in, int out) {
            return x.mmul(weight(name + "_W", in, in, out)).add(weight(name + "_b", in, out));
        }

        @Override
        public SDVariable concat(SDVariable a, SDVariable b) {
            return sd.concat(1, a, b);
        }

        @Override
        public SDVariable condition(String k, SDVariable h, SDVariable scale, SDVariable shift, int channels) {
            SDVariable tk = sd.reshape(shift, -1, channels, 1, 1);
            if (scale != null) {
                h = h.mul(sd.reshape(scale, -1, channels, 1, 1));
            }
            return h.add(tk);
        }
    }
}
