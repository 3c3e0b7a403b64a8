package io.campanile.engine.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.campanile.diffusion.image.ImageCodec;
import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.schedule.DdpmScheduler;
import io.campanile.diffusion.schedule.SchedulerSpec;
import io.campanile.diffusion.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** A live preview is the PNG of the first image's x0-hat, box-downscaled to fit its size. */
class LivePreviewTest {

    private static Tensor random(long seed, int... shape) {
        Random r = new Random(seed);
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) r.nextGaussian();
        }
        return t;
    }

    @Test
    void shrinkAveragesWholeBoxesAndLeavesSmallImagesAlone() {
        Tensor x = new Tensor(new int[] {1, 2, 4}, new float[] {1, 3, 5, 7, 2, 4, 6, 8});
        Tensor half = LivePreview.shrink(x, 2);
        assertArrayEquals(new int[] {1, 1, 2}, half.shape());
        assertArrayEquals(new float[] {2.5f, 6.5f}, half.data());
        assertSame(x, LivePreview.shrink(x, 4));
    }

    @Test
    void greyPreviewsDecodeToTheQuantisedValues() throws Exception {
        Tensor grey = new Tensor(new int[] {1, 1, 3}, new float[] {0f, 0.5f, 2f});
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(LivePreview.png(grey, ValueRange.ZERO_ONE)));
        assertEquals(3, img.getWidth());
        assertEquals(0, img.getRaster().getSample(0, 0, 0));
        assertEquals(128, img.getRaster().getSample(1, 0, 0));
        assertEquals(255, img.getRaster().getSample(2, 0, 0));
    }

    @Test
    void thePngIsX0HatOfTheFirstImageOnly() throws Exception {
        DdpmScheduler s = new DdpmScheduler(SchedulerSpec.ifStageII());
        Tensor x = random(1, 2, 3, 256, 256);
        Tensor eps = random(2, 2, 3, 256, 256);
        byte[] png = new LivePreview(ValueRange.MINUS_ONE_ONE, 128).png(s, x, eps, 500);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(128, img.getWidth());
        assertEquals(128, img.getHeight());
        Tensor expected = LivePreview.shrink(s.predictOriginal(x.item(0), eps.item(0), 500), 128);
        BufferedImage reference =
                ImageIO.read(new ByteArrayInputStream(ImageCodec.encodePng(expected, ValueRange.MINUS_ONE_ONE)));
        for (int y = 0; y < 128; y++) {
            for (int x0 = 0; x0 < 128; x0++) {
                assertEquals(reference.getRGB(x0, y), img.getRGB(x0, y), "the pixels ImageCodec writes, at " + x0);
            }
        }
    }
}
