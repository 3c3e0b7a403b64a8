package io.campanile.trainer.step;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.trainer.NativeBuild;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The hand-written backward of the 3 x 3 stride-1 convolution gives ND4J's {@code conv2d_bp} gradients, for a batch
 * within one chunk of its padded copies and for batches over several (the last one partial).
 */
class SameConvBackwardTest {
    /** One backward form of a layer: (x, w, gradOut) into (gradIn, gradW, gradB). */
    @FunctionalInterface
    private interface Backward {
        void run(INDArray x, INDArray w, INDArray b, INDArray g, INDArray gi, INDArray gw, INDArray gb);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, SameConvBackward.CHUNK, 2 * SameConvBackward.CHUNK + 7})
    void itMatchesNd4jsBackward(int batch) {
        NdConv.Conv conv = new NdConv.Conv(3, 1, 1);
        compare(batch, 14, 14, new long[] {3, 3, 6, 5}, conv::backward, SameConvBackward::run);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, SameConvBackward.CHUNK + 5})
    void theUpSamplingBackwardMatchesNd4js(int batch) {
        NdConv.Deconv deconv = new NdConv.Deconv(4, 2, 1);
        compare(batch, 7, 14, new long[] {4, 4, 5, 6}, deconv::backward, UpConvBackward::run);
    }

    /** A pool-taking backward: SameConvBackward.run or UpConvBackward.run. */
    @FunctionalInterface
    private interface Pooled {
        void run(ArrayPool pool, INDArray x, INDArray w, INDArray g, INDArray gi, INDArray gw, INDArray gb);
    }

    /**
     * ND4J's backward against the hand-written one (run twice, so scratch arrays are reused), on x [B, h, h, 6] and
     * dL/dout [B, out, out, 5]; w of shape {@code wShape}.
     */
    private static void compare(int batch, int h, int out, long[] wShape, Backward nd4j, Pooled byHand) {
        NativeBuild.select();
        Nd4j.getRandom().setSeed(batch);
        int cin = 6;
        int cout = 5;
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, h, h, cin).subi(0.5);
        INDArray w = Nd4j.rand(DataType.FLOAT, wShape).subi(0.5);
        INDArray g = Nd4j.rand(DataType.FLOAT, batch, out, out, cout).subi(0.5);
        INDArray[] expected = {
            Nd4j.create(DataType.FLOAT, batch, h, h, cin),
            Nd4j.create(DataType.FLOAT, wShape),
            Nd4j.create(DataType.FLOAT, cout)
        };
        INDArray[] actual = {
            Nd4j.create(DataType.FLOAT, batch, h, h, cin),
            Nd4j.create(DataType.FLOAT, wShape),
            Nd4j.create(DataType.FLOAT, cout)
        };
        nd4j.run(x, w, Nd4j.rand(DataType.FLOAT, cout), g, expected[0], expected[1], expected[2]);
        try (ArrayPool pool = new ArrayPool()) {
            byHand.run(pool, x, w, g, actual[0], actual[1], actual[2]);
            byHand.run(pool, x, w, g, actual[0], actual[1], actual[2]);
        }
        assertClose("dx", expected[0], actual[0]);
        assertClose("dW", expected[1], actual[1]);
        assertClose("db", expected[2], actual[2]);
    }

    private static void assertClose(String what, INDArray expected, INDArray actual) {
        double scale = expected.amaxNumber().doubleValue();
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(scale > 1e-3, what + " is not trivially zero");
        assertTrue(diff <= 1e-4 * Math.max(1, scale), what + ": max difference " + diff + " at scale " + scale);
    }
}
