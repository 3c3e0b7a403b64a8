package io.campanile.engine.loop;

import io.campanile.diffusion.image.PngText;
import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.schedule.DdpmScheduler;
import io.campanile.diffusion.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * How a loop's live previews look: the current x0-hat of the batch's first image, {@code x0_hat = (x_t - sqrt(1 -
 * abar_t) eps) / sqrt(abar_t)} (the scheduler's {@link DdpmScheduler#predictOriginal}, thresholded as the step is),
 * box-downscaled by a whole factor to at most {@code maxSide} pixels and encoded as an 8-bit PNG (quantised as
 * ImageCodec does, compressed at the fastest level: ImageIO's writer costs more than the rest of a preview). Made only
 * when a preview is due, from the step's own eps: no extra model call.
 *
 * @param range the pack's value range, to map pixels to [0, 1]
 * @param maxSide the widest preview in pixels (64 for stage I, 128 for stage II)
 */
public record LivePreview(ValueRange range, int maxSide) {

    public LivePreview {
        if (range == null || maxSide < 1) {
            throw new IllegalArgumentException("a preview needs a value range and a size of at least 1 px");
        }
    }

    /** The PNG of x0-hat of image 0 of {@code x} [N, C, H, W] at timestep {@code t}, from the step's {@code eps}. */
    public byte[] png(DdpmScheduler scheduler, Tensor x, Tensor eps, int t) {
        Tensor x0 = scheduler.predictOriginal(x.item(0), eps.item(0), t);
        return png(shrink(x0, maxSide), range);
    }

    /** {@code chw} [C, H, W] (C = 1 or 3) as a grey or RGB PNG: values mapped to [0, 1], clamped, rounded half up. */
    static byte[] png(Tensor chw, ValueRange range) {
        int c = chw.dim(0);
        int h = chw.dim(1);
        int w = chw.dim(2);
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("a preview has 1 or 3 channels, got " + chw.shapeString());
        }
        float[] d = chw.data();
        byte[] raw = new byte[h * (1 + w * c)]; // each row: filter type 0, then the pixels
        int k = 0;
        for (int y = 0; y < h; y++) {
            raw[k++] = 0;
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    float u = range.toUnit(d[(ch * h + y) * w + x]);
                    u = Float.isNaN(u) ? 0f : Math.min(1f, Math.max(0f, u));
                    raw[k++] = (byte) (int) Math.floor(u * 255f + 0.5f);
                }
            }
        }
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream idat = new ByteArrayOutputStream(raw.length / 2 + 64);
        byte[] buf = new byte[8192];
        while (!deflater.finished()) {
            idat.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream(idat.size() + 64);
        PngText.writeSignature(out);
        PngText.writeChunk(
                out,
                "IHDR",
                ByteBuffer.allocate(13)
                        .putInt(w)
                        .putInt(h)
                        .put((byte) 8)
                        .put((byte) (c == 3 ? 2 : 0))
                        .put(new byte[3])
                        .array());
        PngText.writeChunk(out, "IDAT", idat.toByteArray());
        PngText.writeChunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** {@code chw} [C, H, W] averaged over f x f boxes, f the least whole factor that fits it in {@code side}. */
    static Tensor shrink(Tensor chw, int side) {
        int c = chw.dim(0);
        int h = chw.dim(1);
        int w = chw.dim(2);
        int f = (Math.max(h, w) + side - 1) / side;
        if (f <= 1) {
            return chw;
        }
        int oh = h / f;
        int ow = w / f;
        float[] in = chw.data();
        float[] out = new float[c * oh * ow];
        float norm = 1f / (f * f);
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    float sum = 0;
                    for (int dy = 0; dy < f; dy++) {
                        int row = (ch * h + y * f + dy) * w + x * f;
                        for (int dx = 0; dx < f; dx++) {
                            sum += in[row + dx];
                        }
                    }
                    out[(ch * oh + y) * ow + x] = sum * norm;
                }
            }
        }
        return new Tensor(new int[] {c, oh, ow}, out);
    }
}
