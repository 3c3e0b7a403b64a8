package io.campanile.trainer.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.campanile.trainer.NativeBuild;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The bfloat16 convolutions on oneDNN give ND4J's float32 outputs and gradients, to bfloat16's precision (8 bits of
 * mantissa: a relative error of about 0.4% per rounded value, less on sums), for every kind of layer the UNet has.
 * Skipped, with the reason, on a CPU without bfloat16 instructions.
 */
class Bf16ConvsTest {
    @BeforeAll
    static void bf16Cpu() {
        NativeBuild.select();
        assumeTrue(Dnnl.hasBf16(), "this CPU has no bfloat16 instructions (AVX512_BF16 or AMX)");
    }

    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of(new NdConv.Conv(3, 1, 1), 5, 14, 6, 5), // the 3 x 3 ConvBlock
                Arguments.of(new NdConv.Conv(3, 2, 1), 4, 14, 6, 5), // DownConv
                Arguments.of(new NdConv.Deconv(4, 2, 1), 3, 7, 6, 5), // UpConv
                Arguments.of(new NdConv.Deconv(7, 7, 0), 4, 1, 8, 6)); // Unflatten
    }

    @ParameterizedTest
    @MethodSource("layers")
    void forwardAndGradientsMatchFloat32(NdConv.Op op, int batch, int h, int cin, int cout) {
        Nd4j.getRandom().setSeed(batch * 31L + h);
        long oh = op.outSize(h);
        long[] wShape = op instanceof NdConv.Deconv d ? new long[] {d.k(), d.k(), cout, cin} : wShape(op, cin, cout);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, h, h, cin).subi(0.5);
        INDArray w = Nd4j.rand(DataType.FLOAT, wShape).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, cout).subi(0.5);
        INDArray g = Nd4j.rand(DataType.FLOAT, batch, oh, oh, cout).subi(0.5);
        INDArray y32 = Nd4j.create(DataType.FLOAT, batch, oh, oh, cout);
        INDArray[] expected = grads(batch, h, cin, wShape, cout);
        op.forward(x, w, b, y32);
        op.backward(x, w, b, g, expected[0], expected[1], expected[2]);

        INDArray y16 = Nd4j.create(DataType.FLOAT, batch, oh, oh, cout);
        INDArray[] actual = grads(batch, h, cin, wShape, cout);
        try (ArrayPool pool = new ArrayPool();
                Bf16Convs convs = new Bf16Convs(pool)) {
            for (int pass = 0; pass < 2; pass++) { // the second reuses the layer's primitives and buffers
                INDArray xb = convs.forward(op, x, w, b, y16, true);
                assertEquals(DataType.BFLOAT16, xb.dataType());
                convs.backward(op, xb, w, g, actual[0], actual[1], actual[2]);
            }
        }
        assertClose("output", y32, y16);
        assertClose("dL/dx", expected[0], actual[0]);
        assertClose("dL/dW", expected[1], actual[1]);
        assertClose("dL/db", expected[2], actual[2]);
    }

    @Test
    void theMainLayersSpeedIsMeasured() {
        double gflops = Bf16Convs.forwardGflops(8, 2);
        assertTrue(gflops > 0 && Double.isFinite(gflops), "GFLOP/s " + gflops);
    }

    private static long[] wShape(NdConv.Op op, int cin, int cout) {
        int k = ((NdConv.Conv) op).k();
        return new long[] {k, k, cin, cout};
    }

    private static INDArray[] grads(int batch, int h, int cin, long[] wShape, int cout) {
        return new INDArray[] {
            Nd4j.create(DataType.FLOAT, batch, h, h, cin),
            Nd4j.create(DataType.FLOAT, wShape),
            Nd4j.create(DataType.FLOAT, cout)
        };
    }

    /** Relative error in the Frobenius norm within 1%, and every element within 3% of the largest. */
    private static void assertClose(String what, INDArray expected, INDArray actual) {
        double norm = expected.norm2Number().doubleValue();
        double err = expected.sub(actual).norm2Number().doubleValue();
        double scale = expected.amaxNumber().doubleValue();
        double worst = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(norm > 1e-3, what + " is not trivially zero");
        assertTrue(err <= 1e-2 * norm, what + ": relative error " + err / norm);
        assertTrue(worst <= 3e-2 * scale, what + ": max difference " + worst + " at scale " + scale);
    }
}
