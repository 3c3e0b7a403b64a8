package io.campanile.trainer.step;

import static io.campanile.trainer.step.ArrayPool.buffer;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backward of the up-sampling transposed convolution (k 4, stride 2, padding 1; NHWC; weights [4, 4, out, in]),
 * without ND4J's {@code deconv2d_bp}:
 * <ul>
 *   <li>dL/dx is the forward convolution of dL/dout with the same weights, stride 2, padding 1 (a transposed
 *       convolution's adjoint), on oneDNN's forward kernel; the weights [4, 4, out, in] are already a convolution's
 *       [kH, kW, in, out] for it;
 *   <li>dL/dW[kh, kw] sums x[y, x] g[2y + kh - 1, 2x + kw - 1]: g at one parity of rows and columns,
 *       p = (kh + 1) mod 2 and q = (kw + 1) mod 2, shifted by dy = (kh - 1 - p) / 2 and dx in {-1, 0, 1}. Each of the
 *       four phase grids of g, zero-padded by one, is the stride-1 case of {@link SameConvBackward}: one matrix
 *       product per tap over a strided view of its rows against x written at the top left of the same grid;
 *   <li>dL/db is the sum of dL/dout over images and pixels.
 * </ul>
 * Images go in chunks of {@link SameConvBackward#CHUNK}; the padded copies are the pool's scratch arrays.
 */
final class UpConvBackward {
    private static final Conv2DConfig DOWN = ConvConfigs.nhwc(4, 2, 1);

    private UpConvBackward() {}

    static boolean handles(NdConv.Op op) {
        return op instanceof NdConv.Deconv d && d.k() == 4 && d.stride() == 2 && d.pad() == 1;
    }

    static void run(
            ArrayPool pool, INDArray x, INDArray w, INDArray gradOut, INDArray gradIn, INDArray gradW, INDArray gradB) {
        SameConvBackward.Dims d = SameConvBackward.Dims.of(x, gradOut);
        int batch = d.batch();
        int h = d.h();
        int wd = d.w();
        int cin = d.cin();
        int cout = d.cout();
        INDArray g = SameConvBackward.whole(gradOut);
        SameConvBackward.channelSums(buffer(g), batch * 4 * h * wd, cout, gradB);
        Nd4j.getExecutioner().exec(new Conv2D(g, SameConvBackward.whole(w), null, gradIn, DOWN));

        int ph = h + 2;
        int pw = wd + 2;
        int chunk = SameConvBackward.chunk(batch);
        FloatBuffer xb = buffer(SameConvBackward.whole(x));
        FloatBuffer gb = buffer(g);
        FloatBuffer gw = buffer(gradW);
        INDArray phase = pool.scratch(chunk, h, wd, cout);
        INDArray gPad = pool.scratch(chunk + 1, ph, pw, cout);
        INDArray xGrid = pool.scratch(chunk, ph, pw, cin);
        INDArray tap = pool.scratch(cout, cin);
        FloatBuffer tb = buffer(tap);
        float[] tapValues = new float[cin * cout];
        int plane = h * wd;
        boolean[] written = new boolean[16];
        for (int first = 0; first < batch; first += chunk) {
            int n = Math.min(chunk, batch - first);
            long rows = (long) n * ph * pw;
            SameConvBackward.padInto(xb.slice(first * plane * cin, n * plane * cin), buffer(xGrid), n, h, wd, cin, 0);
            INDArray xRows = xGrid.reshape('c', (long) chunk * ph * pw, cin).get(interval(0, rows), all());
            for (int p = 0; p < 2; p++) {
                for (int q = 0; q < 2; q++) {
                    phaseOf(gb, buffer(phase), first, n, h, wd, cout, p, q);
                    SameConvBackward.padInto(buffer(phase), buffer(gPad), n, h, wd, cout, 1);
                    INDArray gRows = gPad.reshape('c', (long) (chunk + 1) * ph * pw, cout);
                    for (int kh = 1 - p; kh < 4; kh += 2) {
                        for (int kw = 1 - q; kw < 4; kw += 2) {
                            long offset = (long) (shift(kh, p) + 1) * pw + shift(kw, q) + 1;
                            Nd4j.gemm(
                                    gRows.get(interval(offset, offset + rows), all()),
                                    xRows,
                                    tap,
                                    true,
                                    false,
                                    1.0,
                                    0.0);
                            int at = (kh * 4 + kw) * cout * cin;
                            if (!written[kh * 4 + kw]) {
                                gw.put(at, tb, 0, cout * cin);
                                written[kh * 4 + kw] = true;
                            } else {
                                tb.get(0, tapValues);
                                for (int k = 0; k < tapValues.length; k++) {
                                    gw.put(at + k, gw.get(at + k) + tapValues[k]);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** The shift of tap k of parity p: output row 2 (y + shift) + p = 2y + k - 1. */
    private static int shift(int k, int p) {
        return (k - 1 - p) / 2;
    }

    /** g's rows 2y + p and columns 2x + q of images first .. first + n into dst [n, H, W, C]. */
    private static void phaseOf(FloatBuffer g, FloatBuffer dst, int first, int n, int h, int w, int c, int p, int q) {
        int gw = 2 * w;
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < h; y++) {
                int src = (((first + b) * 2 * h + 2 * y + p) * gw + q) * c;
                int to = ((b * h + y) * w) * c;
                for (int x = 0; x < w; x++) {
                    dst.put(to + x * c, g, src + 2 * x * c, c);
                }
            }
        }
    }
}
