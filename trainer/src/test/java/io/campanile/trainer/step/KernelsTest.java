package io.campanile.trainer.step;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KernelsTest {
    /** Batch statistics stay right when a channel's mean is large against its spread (E[x^2] - E[x]^2 would not). */
    @Test
    void batchVarianceIsStableForLargeMeans() {
        int batch = 4;
        int hw = 49;
        int ch = 16;
        float[] data = new float[batch * hw * ch];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (1000 + (i % ch) + 0.01 * r.nextGaussian());
        }
        FloatBuffer x = ByteBuffer.allocateDirect(data.length * 4)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        x.put(0, data);
        FloatBuffer y = ByteBuffer.allocateDirect(data.length * 4)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        float[] ones = new float[ch];
        Arrays.fill(ones, 1f);
        for (ChannelOps ops : new ChannelOps[] {ChannelOps.scalar(), ChannelOps.BEST}) {
            float[] mean = new float[ch];
            float[] var = new float[ch];
            float[] invStd = new float[ch];
            new Kernels(ops).bnGeluForward(x, y, batch, hw, ch, ones, new float[ch], 1e-5, mean, var, invStd);
            for (int c = 0; c < ch; c++) {
                double m = 0;
                for (int i = c; i < data.length; i += ch) {
                    m += data[i];
                }
                m /= batch * hw;
                double v = 0;
                for (int i = c; i < data.length; i += ch) {
                    v += (data[i] - m) * (data[i] - m);
                }
                v /= batch * hw;
                assertEquals(m, mean[c], 1e-3, ops.name() + " mean " + c);
                assertEquals(v, var[c], 1e-3 * v, ops.name() + " variance " + c);
            }
        }
    }
}
