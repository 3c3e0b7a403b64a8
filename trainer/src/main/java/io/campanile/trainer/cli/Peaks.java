package io.campanile.trainer.cli;

import io.campanile.trainer.step.ConvConfigs;
import io.campanile.trainer.step.TrainStep;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * This machine's measured peaks, for the benchmark's GFLOP/s: ND4J's fp32 and bf16 matrix products (square, large
 * enough to be compute-bound), its fp32 3 x 3 convolution (oneDNN inside ND4J) and the same convolution in bf16 on
 * oneDNN's primitives as the bf16 training step runs it (ND4J's own bf16 convolution runs on generic kernels, at
 * about 1 GFLOP/s here).
 *
 * @param gemm32 GFLOP/s of an fp32 matrix product
 * @param gemm16 GFLOP/s of a bf16 matrix product (ND4J)
 * @param bf16Conv GFLOP/s of a bf16 3 x 3 convolution (the UNet's main layer) on oneDNN; NaN without bf16 support
 * @param fp32Conv GFLOP/s of the same convolution in fp32
 */
record Peaks(double gemm32, double gemm16, double bf16Conv, double fp32Conv) {
    /** The fp32 peak: the faster of the matrix product and the convolution. */
    double fp32() {
        return Math.max(gemm32, fp32Conv);
    }

    /** The bf16 peak: the faster of the matrix product and the convolution. */
    double bf16() {
        return Double.isNaN(bf16Conv) ? gemm16 : Math.max(gemm16, bf16Conv);
    }

    static Peaks measure() {
        return new Peaks(
                gemm(DataType.FLOAT, 1024, 8),
                gemm(DataType.BFLOAT16, 256, 1),
                TrainStep.bf16ConvGflops(128, 5),
                conv(DataType.FLOAT, 32));
    }

    String describe() {
        return String.format(
                Locale.ROOT,
                "measured peaks: fp32 matrix product %.0f GFLOP/s, bf16 %.1f GFLOP/s (ND4J); 3x3 convolution fp32 %.0f"
                        + " GFLOP/s (ND4J's oneDNN), bf16 %.0f GFLOP/s (oneDNN)",
                gemm32,
                gemm16,
                fp32Conv,
                bf16Conv);
    }

    private static double gemm(DataType type, int n, int reps) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n).castTo(type);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n).castTo(type);
        INDArray c = Nd4j.create(type, n, n);
        Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        }
        return reps * 2.0 * n * n * n / ((System.nanoTime() - t0) / 1e9) / 1e9;
    }

    /** A 3 x 3 convolution over {@code batch} images of 28 x 28 x 64 channels into 64 (NHWC), as the UNet's. */
    private static double conv(DataType type, int batch) {
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 28, 28, 64).castTo(type);
        INDArray w = Nd4j.rand(DataType.FLOAT, 3, 3, 64, 64).castTo(type);
        INDArray bias = Nd4j.zeros(type, 64);
        INDArray out = Nd4j.create(type, batch, 28, 28, 64);
        Conv2DConfig config = ConvConfigs.nhwc(3, 1, 1);
        Nd4j.getExecutioner().exec(new Conv2D(x, w, bias, out, config));
        int reps = 5;
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            Nd4j.getExecutioner().exec(new Conv2D(x, w, bias, out, config));
        }
        return reps * 2.0 * 9 * 64 * 64 * 28 * 28 * batch / ((System.nanoTime() - t0) / 1e9) / 1e9;
    }
}
