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
 * The backward of a 3 x 3 convolution with stride 1 and padding 1 (NHWC activations, weights [3, 3, in, out]), the
 * UNet's most common layer, without ND4J's {@code conv2d_bp}, which ran at a quarter of the speed of its forward
 * here:
 * <ul>
 *   <li>dL/dx is a forward convolution of dL/dout with the kernel flipped and its channels swapped,
 *       {@code W'[a, b] = W[2 - a, 2 - b]^T}, on oneDNN's forward kernel;
 *   <li>dL/dW of tap (a, b) is one matrix product {@code X_ab^T G}. With x zero-padded to [B, H + 2, W + 2, in] and
 *       dL/dout written at the top left of a zero [B, H + 2, W + 2, out] grid, output row r (a pixel of the padded
 *       grid, in row-major order) meets input row {@code r + a (W + 2) + b}: X_ab is the padded input from that row
 *       on, a plain strided view, so no im2col copy is made. The grid's padding rows (zeros in G) add about 15% to the
 *       exact sum's arithmetic. Images go through in chunks of {@link #CHUNK}, so the padded copies (the pool's
 *       scratch arrays, one per shape) stay small whatever the batch;
 *   <li>dL/db is the sum of dL/dout over images and pixels.
 * </ul>
 * The tests compare every gradient with SameDiff's autodiff of the same graph.
 */
final class SameConvBackward {
    private static final Conv2DConfig SAME = ConvConfigs.nhwc(3, 1, 1);

    private SameConvBackward() {}

    /** Whether {@code op} is the convolution this class differentiates. */
    static boolean handles(NdConv.Op op) {
        return op instanceof NdConv.Conv c && c.k() == 3 && c.stride() == 1 && c.pad() == 1;
    }

    /**
     * Writes dL/dx, dL/dW and dL/db of out = conv(x, w) + b from dL/dout (the outputs whole c-order arrays); its
     * padded copies and the flipped kernel are the pool's scratch arrays, one per shape.
     */
    static void run(
            ArrayPool pool, INDArray x, INDArray w, INDArray gradOut, INDArray gradIn, INDArray gradW, INDArray gradB) {
        Dims d = Dims.of(x, gradOut);
        int batch = d.batch();
        int h = d.h();
        int wd = d.w();
        int cin = d.cin();
        int cout = d.cout();
        FloatBuffer g = buffer(whole(gradOut));
        channelSums(g, batch * h * wd, cout, gradB);

        INDArray flipped = pool.scratch(3, 3, cout, cin);
        FloatBuffer wb = buffer(whole(w));
        FloatBuffer fb = buffer(flipped);
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                int from = ((2 - a) * 3 + (2 - b)) * cin * cout;
                int to = (a * 3 + b) * cout * cin;
                for (int i = 0; i < cin; i++) {
                    for (int o = 0; o < cout; o++) {
                        fb.put(to + o * cin + i, wb.get(from + i * cout + o));
                    }
                }
            }
        }
        Nd4j.getExecutioner().exec(new Conv2D(gradOut, flipped, null, gradIn, SAME));

        int ph = h + 2;
        int pw = wd + 2;
        int plane = h * wd;
        FloatBuffer xb = buffer(whole(x));
        FloatBuffer gw = buffer(gradW);
        // Images in chunks of CHUNK, so the padded copies stay small whatever the batch; one spare image of zeros
        // after a chunk's last: the taps' views reach 2 (W + 2) + 2 rows past its grid.
        int chunk = chunk(batch);
        INDArray xPad = pool.scratch(chunk + 1, ph, pw, cin);
        INDArray gPad = pool.scratch(chunk, ph, pw, cout);
        INDArray tap = pool.scratch(cin, cout);
        FloatBuffer tb = buffer(tap);
        float[] tapValues = new float[cin * cout];
        for (int first = 0; first < batch; first += chunk) {
            int n = Math.min(chunk, batch - first);
            padInto(xb.slice(first * plane * cin, n * plane * cin), buffer(xPad), n, h, wd, cin, 1);
            padInto(g.slice(first * plane * cout, n * plane * cout), buffer(gPad), n, h, wd, cout, 0);
            long rows = (long) n * ph * pw;
            INDArray xRows = xPad.reshape('c', (long) (chunk + 1) * ph * pw, cin);
            INDArray gRows = gPad.reshape('c', (long) chunk * ph * pw, cout).get(interval(0, rows), all());
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    long offset = (long) a * pw + b;
                    Nd4j.gemm(xRows.get(interval(offset, offset + rows), all()), gRows, tap, true, false, 1.0, 0.0);
                    int at = (a * 3 + b) * cin * cout;
                    if (first == 0) {
                        gw.put(at, tb, 0, cin * cout);
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

    /** Images per chunk of the weight gradient's padded copies. */
    static final int CHUNK = 32;

    static int chunk(int batch) {
        return Math.min(batch, CHUNK);
    }

    /** An NHWC layer's sizes: images, the input's height, width and channels, the output's channels. */
    record Dims(int batch, int h, int w, int cin, int cout) {
        static Dims of(INDArray x, INDArray gradOut) {
            return new Dims((int) x.size(0), (int) x.size(1), (int) x.size(2), (int) x.size(3), (int) gradOut.size(3));
        }
    }

    /** a itself when it is a whole c-order array, else a copy that is. */
    static INDArray whole(INDArray a) {
        return a.isView() || a.ordering() != 'c' || a.offset() != 0 ? a.dup('c') : a;
    }

    /**
     * src [B, H, W, C] into dst [B' >= B, H + 2, W + 2, C] at row and column {@code at} (1: centred, 0: top left),
     * every other element of dst zero.
     */
    static void padInto(FloatBuffer src, FloatBuffer dst, int batch, int h, int w, int c, int at) {
        int pw = w + 2;
        int row = w * c;
        int images = dst.capacity() / ((h + 2) * pw * c);
        float[] zeros = new float[pw * c];
        for (int b = 0; b < images; b++) {
            for (int y = 0; y < h + 2; y++) {
                int base = ((b * (h + 2)) + y) * pw * c;
                int sy = y - at;
                if (b >= batch || sy < 0 || sy >= h) {
                    dst.put(base, zeros, 0, pw * c);
                    continue;
                }
                dst.put(base + at * c, src, (b * h + sy) * row, row);
                if (at == 1) {
                    dst.put(base, zeros, 0, c);
                    dst.put(base + (w + 1) * c, zeros, 0, c);
                } else {
                    dst.put(base + w * c, zeros, 0, 2 * c);
                }
            }
        }
    }

    /** out[k] = sum over the n rows of g [n, c] of g[row, k], rows added in order. */
    static void channelSums(FloatBuffer g, int n, int c, INDArray out) {
        double[] sums = new double[c];
        float[] rowValues = new float[c];
        for (int r = 0; r < n; r++) {
            g.get(r * c, rowValues, 0, c);
            for (int k = 0; k < c; k++) {
                sums[k] += rowValues[k];
            }
        }
        FloatBuffer o = buffer(out);
        for (int k = 0; k < c; k++) {
            o.put(k, (float) sums[k]);
        }
    }
}
