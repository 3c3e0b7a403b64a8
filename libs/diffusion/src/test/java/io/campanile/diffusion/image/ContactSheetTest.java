package io.campanile.diffusion.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContactSheetTest {

    private static final int CELL = 64;

    /** A 3 x 16 x 16 image in [-1, 1] whose 8-bit level at (c, y, x) is (37 c + 11 y + 5 x + seed) mod 256. */
    private static Tensor image(int seed) {
        Tensor t = Tensor.zeros(3, 16, 16);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    t.data()[c * 256 + y * 16 + x] = 2f * level(seed, c, y, x) / 255f - 1f;
                }
            }
        }
        return t;
    }

    private static int level(int seed, int c, int y, int x) {
        return (37 * c + 11 * y + 5 * x + seed) % 256;
    }

    private static List<ContactSheet.Row> grid(String title) {
        List<ContactSheet.Row> rows = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            List<ContactSheet.Cell> cells = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                cells.add(new ContactSheet.Cell(image(10 * r + c), ValueRange.MINUS_ONE_ONE, "t = " + (990 - 30 * c)));
            }
            rows.add(new ContactSheet.Row(title == null ? null : title + " " + r, cells));
        }
        return rows;
    }

    @Test
    void twoByThreeGridHasTheDocumentedSizeAndPixels() {
        BufferedImage img =
                ImageCodec.decode(ContactSheet.png(grid("an oil painting of a snowy mountain village"), CELL));
        int cellStep = CELL + ContactSheet.PAD;
        assertEquals(ContactSheet.PAD + ContactSheet.TITLE_WIDTH + 3 * cellStep, img.getWidth());
        assertEquals(ContactSheet.PAD + 2 * (CELL + ContactSheet.CAPTION_HEIGHT + ContactSheet.PAD), img.getHeight());
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                int left = ContactSheet.PAD + ContactSheet.TITLE_WIDTH + c * cellStep;
                int top = ContactSheet.PAD + r * (CELL + ContactSheet.CAPTION_HEIGHT + ContactSheet.PAD);
                // the cell centre (32, 32) shows source pixel (8, 8); (5, 60) shows (1, 15)
                assertPixel(img, left + 32, top + 32, 10 * r + c, 8, 8);
                assertPixel(img, left + 60, top + 5, 10 * r + c, 1, 15);
            }
        }
        assertEquals(0xFFFFFF, img.getRGB(1, 1) & 0xFFFFFF, "background is white");
    }

    @Test
    void captionsAndTitlesDrawBlackInkWhereExpected() {
        BufferedImage img = ImageCodec.decode(ContactSheet.png(grid("a rocket ship"), CELL));
        int captionTop = ContactSheet.PAD + CELL;
        int left = ContactSheet.PAD + ContactSheet.TITLE_WIDTH;
        assertTrue(darkPixels(img, left, captionTop, CELL, ContactSheet.CAPTION_HEIGHT) > 5, "caption ink");
        assertTrue(darkPixels(img, 0, ContactSheet.PAD, ContactSheet.TITLE_WIDTH, CELL) > 5, "title ink");
    }

    @Test
    void withoutTitlesThereIsNoTitleColumnAndRowsMayBeShort() {
        List<ContactSheet.Row> rows = new ArrayList<>(grid(null));
        Tensor grey = new Tensor(new int[] {1, 2, 2}, new float[] {0f, 1f, 0.5f, 0.25f});
        rows.add(new ContactSheet.Row("", List.of(new ContactSheet.Cell(grey, ValueRange.ZERO_ONE, null))));
        BufferedImage img = ImageCodec.decode(ContactSheet.png(rows, CELL));
        assertEquals(ContactSheet.PAD + 3 * (CELL + ContactSheet.PAD), img.getWidth());
        assertEquals(ContactSheet.PAD + 3 * (CELL + ContactSheet.CAPTION_HEIGHT + ContactSheet.PAD), img.getHeight());
        int top = ContactSheet.PAD + 2 * (CELL + ContactSheet.CAPTION_HEIGHT + ContactSheet.PAD);
        assertEquals(0x404040, img.getRGB(ContactSheet.PAD + 48, top + 48) & 0xFFFFFF, "grey 0.25 -> 64");
        assertEquals(0xFFFFFF, img.getRGB(ContactSheet.PAD + 48, top + 16) & 0xFFFFFF, "grey 1.0 -> 255");
        assertPixel(img, ContactSheet.PAD + 32, ContactSheet.PAD + 32, 0, 8, 8);
    }

    @Test
    void rejectsEmptyGridsAndBadImages() {
        assertThrows(IllegalArgumentException.class, () -> ContactSheet.png(List.of(), CELL));
        assertThrows(
                IllegalArgumentException.class,
                () -> ContactSheet.png(List.of(new ContactSheet.Row("x", List.of())), CELL));
        assertThrows(IllegalArgumentException.class, () -> ContactSheet.png(grid(null), 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ContactSheet.Cell(Tensor.zeros(2, 4, 4), ValueRange.ZERO_ONE, "two channels"));
        assertThrows(IllegalArgumentException.class, () -> new ContactSheet.Cell(image(0), null, "no range"));
    }

    private static void assertPixel(BufferedImage img, int x, int y, int seed, int sy, int sx) {
        int rgb = img.getRGB(x, y);
        String where = "pixel (" + x + ", " + y + ")";
        assertEquals(level(seed, 0, sy, sx), (rgb >> 16) & 0xff, where + " red");
        assertEquals(level(seed, 1, sy, sx), (rgb >> 8) & 0xff, where + " green");
        assertEquals(level(seed, 2, sy, sx), rgb & 0xff, where + " blue");
    }

    private static int darkPixels(BufferedImage img, int x0, int y0, int w, int h) {
        int n = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                int rgb = img.getRGB(x, y);
                n += ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff) < 200 ? 1 : 0;
            }
        }
        return n;
    }
}
