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
    @ParameterizedTest
    @ValueSource(ints = {3, SameConvBackward.CHUNK, 2 * SameConvBackward.CHUNK + 7})
    void itMatchesNd4jsBackward(int batch) {
        NativeBuild.select();
        Nd4j.getRandom().setSeed(batch);
        int h = 14;
        int cin = 6;
        int cout = 5;
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, h, h, cin).subi(0.5);
        INDArray w = Nd4j.rand(DataType.FLOAT, 3, 3, cin, cout).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, cout);
        INDArray g = Nd4j.rand(DataType.FLOAT, batch, h, h, cout).subi(0.5);
        INDArray gi = Nd4j.create(DataType.FLOAT, batch, h, h, cin);
        INDArray gw = Nd4j.create(DataType.FLOAT, 3, 3, cin, cout);
        INDArray gb = Nd4j.create(DataType.FLOAT, cout);
        new NdConv.Conv(3, 1, 1).backward(x, w, b, g, gi, gw, gb);
        INDArray gi2 = Nd4j.create(DataType.FLOAT, batch, h, h, cin);
        INDArray gw2 = Nd4j.create(DataType.FLOAT, 3, 3, cin, cout);
        INDArray gb2 = Nd4j.create(DataType.FLOAT, cout);
        try (ArrayPool pool = new ArrayPool()) {
            SameConvBackward.run(pool, x, w, g, gi2, gw2, gb2);
            SameConvBackward.run(pool, x, w, g, gi2, gw2, gb2); // scratch reused: same result
        }
        assertClose("dx", gi, gi2);
        assertClose("dW", gw, gw2);
        assertClose("db", gb, gb2);
    }

    private static void assertClose(String what, INDArray expected, INDArray actual) {
        double scale = expected.amaxNumber().doubleValue();
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(scale > 1e-3, what + " is not trivially zero");
        assertTrue(diff <= 1e-5 * Math.max(1, scale) * 10, what + ": max difference " + diff + " at scale " + scale);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, SameConvBackward.CHUNK + 5})
    void theUpSamplingBackwardMatchesNd4js(int batch) {
        NativeBuild.select();
        Nd4j.getRandom().setSeed(batch);
        int h = 7;
        int cin = 6;
        int cout = 5;
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, h, h, cin).subi(0.5);
        INDArray w = Nd4j.rand(DataType.FLOAT, 4, 4, cout, cin).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, cout);
        INDArray g = Nd4j.rand(DataType.FLOAT, batch, 2 * h, 2 * h, cout).subi(0.5);
        INDArray gi = Nd4j.create(DataType.FLOAT, batch, h, h, cin);
        INDArray gw = Nd4j.create(DataType.FLOAT, 4, 4, cout, cin);
        INDArray gb = Nd4j.create(DataType.FLOAT, cout);
        new NdConv.Deconv(4, 2, 1).backward(x, w, b, g, gi, gw, gb);
        INDArray gi2 = Nd4j.create(DataType.FLOAT, batch, h, h, cin);
        INDArray gw2 = Nd4j.create(DataType.FLOAT, 4, 4, cout, cin);
        INDArray gb2 = Nd4j.create(DataType.FLOAT, cout);
        try (ArrayPool pool = new ArrayPool()) {
            UpConvBackward.run(pool, x, w, g, gi2, gw2, gb2);
            UpConvBackward.run(pool, x, w, g, gi2, gw2, gb2);
        }
        assertClose("dx", gi, gi2);
        assertClose("dW", gw, gw2);
        assertClose("db", gb, gb2);
    }
}
