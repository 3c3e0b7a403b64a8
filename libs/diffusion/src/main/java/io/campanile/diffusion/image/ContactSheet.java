package io.campanile.diffusion.image;

import io.campanile.diffusion.tensor.Tensor;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Renders a labelled grid of images as a PNG, like the figure strips of the CS180 writeup (e.g. the denoising loop
 * every 5th step, or SDEdit at each {@code i_start}).
 *
 * <p>Layout, in pixels: a white background; an outer margin and gaps of {@link #PAD}; when any row has a title, a
 * title column of {@link #TITLE_WIDTH} at the left (the title word-wrapped, black); then one cell per image: the
 * image scaled to {@code cellSize x cellSize} by nearest neighbour ({@code src = floor(o * size / cellSize)} on each
 * axis, as {@code torch} "nearest"), with a caption band of {@link #CAPTION_HEIGHT} below it (centred, shortened
 * with "..." to the cell width). Hence width {@code = PAD + titleWidth + columns (cellSize + PAD)} and height
 * {@code = PAD + rows (cellSize + CAPTION_HEIGHT + PAD)}, where {@code columns} is the longest row's length.
 *
 * <p>Drawing uses Java2D; this class sets {@code java.awt.headless=true} unless the property is already set. Text
 * needs at least one font on the host (e.g. Debian's {@code fonts-dejavu-core}).
 */
public final class ContactSheet {

    /** Outer margin and the gap between cells and rows. */
    public static final int PAD = 8;
    /** Height of the caption band under each image. */
    public static final int CAPTION_HEIGHT = 16;
    /** Width of the title column, present only when some row has a non-blank title. */
    public static final int TITLE_WIDTH = 160;

    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /**
     * One image with its caption.
     *
     * @param chw {@code [C, H, W]} with C = 1 or 3
     * @param range the value range of {@code chw}
     * @param caption text under the image; null for none
     */
    public record Cell(Tensor chw, ValueRange range, String caption) {
        /** @throws IllegalArgumentException if the tensor is not CHW with 1 or 3 channels, or range is null */
        public Cell {
            if (chw == null
                    || chw.rank() != 3
                    || (chw.dim(0) != 1 && chw.dim(0) != 3)
                    || chw.dim(1) < 1
                    || chw.dim(2) < 1) {
                throw new IllegalArgumentException("contact sheet: expected an image [C, H, W] with C = 1 or 3, got "
                        + (chw == null ? "null" : chw.shapeString()));
            }
            if (range == null) {
                throw new IllegalArgumentException("contact sheet: value range must not be null");
            }
        }
    }

    /**
     * One row of the grid.
     *
     * @param title text in the title column; null or blank for none
     * @param cells the images, left to right
     */
    public record Row(String title, List<Cell> cells) {
        /** Copies {@code cells}. */
        public Row {
            cells = List.copyOf(cells);
        }
    }

    private ContactSheet() {}

    /**
     * Renders the grid.
     *
     * @param rows the rows, top to bottom, at least one with at least one cell
     * @param cellSize the side of each scaled image in pixels, positive
     * @return the PNG bytes (8-bit RGB)
     * @throws IllegalArgumentException for an empty grid or a non-positive cell size
     */
    public static byte[] png(List<Row> rows, int cellSize) {
        if (cellSize < 1) {
            throw new IllegalArgumentException("contact sheet: cell size must be positive, got " + cellSize);
        }
        int columns = rows == null
                ? 0
                : rows.stream().mapToInt(r -> r.cells().size()).max().orElse(0);
        if (columns == 0) {
            throw new IllegalArgumentException("contact sheet: needs at least one image");
        }
        boolean titles =
                rows.stream().anyMatch(r -> r.title() != null && !r.title().isBlank());
        int titleWidth = titles ? TITLE_WIDTH : 0;
        int width = PAD + titleWidth + columns * (cellSize + PAD);
        int height = PAD + rows.size() * (cellSize + CAPTION_HEIGHT + PAD);
        BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            for (int r = 0; r < rows.size(); r++) {
                int top = PAD + r * (cellSize + CAPTION_HEIGHT + PAD);
                drawRow(g, rows.get(r), top, titleWidth, cellSize);
            }
        } finally {
            g.dispose();
        }
        return encode(sheet);
    }

    private static void drawRow(Graphics2D g, Row row, int top, int titleWidth, int cellSize) {
        for (int c = 0; c < row.cells().size(); c++) {
            int left = PAD + titleWidth + c * (cellSize + PAD);
            g.drawImage(scaled(row.cells().get(c).chw(), row.cells().get(c).range(), cellSize), left, top, null);
        }
        try {
            drawText(g, row, top, titleWidth, cellSize);
        } catch (RuntimeException | Error e) { // a host without fonts (fontconfig): the images without captions
            if (!warned) {
                warned = true;
                System.getLogger(ContactSheet.class.getName())
                        .log(
                                System.Logger.Level.WARNING,
                                "contact sheets without captions: no usable font on this host (" + e + ")");
            }
        }
    }

    private static volatile boolean warned;

    private static void drawText(Graphics2D g, Row row, int top, int titleWidth, int cellSize) {
        g.setFont(FONT);
        FontMetrics fm = g.getFontMetrics();
        if (titleWidth > 0 && row.title() != null && !row.title().isBlank()) {
            List<String> lines =
                    wrap(row.title().strip(), fm, titleWidth - PAD, Math.max(1, cellSize / fm.getHeight()));
            int y = top + (cellSize - lines.size() * fm.getHeight()) / 2 + fm.getAscent();
            for (String line : lines) {
                g.drawString(line, PAD, y);
                y += fm.getHeight();
            }
        }
        for (int c = 0; c < row.cells().size(); c++) {
            Cell cell = row.cells().get(c);
            int left = PAD + titleWidth + c * (cellSize + PAD);
            String caption = fit(cell.caption() == null ? "" : cell.caption().strip(), fm, cellSize);
            int baseline = top + cellSize + (CAPTION_HEIGHT + fm.getAscent() - fm.getDescent()) / 2;
            g.drawString(caption, left + (cellSize - fm.stringWidth(caption)) / 2, baseline);
        }
    }

    /**
     * Nearest-neighbour scaling to {@code size x size}: output {@code o} takes source {@code floor(o * n / size)};
     * values quantised as {@link ImageCodec#encodePng}, a grey image replicated to R, G and B.
     */
    private static BufferedImage scaled(Tensor chw, ValueRange range, int size) {
        int h = chw.dim(1);
        int w = chw.dim(2);
        int plane = h * w;
        int green = chw.dim(0) == 3 ? plane : 0;
        int blue = 2 * green;
        float[] v = chw.data();
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            int row = (int) ((long) y * h / size) * w;
            for (int x = 0; x < size; x++) {
                int i = row + (int) ((long) x * w / size);
                int r = Pixels.quantise(v[i], range);
                int g = Pixels.quantise(v[green + i], range);
                int b = Pixels.quantise(v[blue + i], range);
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    /** Shortens {@code text} with "..." until it fits {@code width}. */
    private static String fit(String text, FontMetrics fm, int width) {
        if (fm.stringWidth(text) <= width) {
            return text;
        }
        String s = text;
        while (!s.isEmpty() && fm.stringWidth(s + "...") > width) {
            s = s.substring(0, s.length() - 1);
        }
        return s + "...";
    }

    /** Greedy word wrap into at most {@code maxLines} lines; the last line is shortened if text remains. */
    private static List<String> wrap(String text, FontMetrics fm, int width, int maxLines) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        String[] words = text.split("\\s+");
        for (int i = 0; i < words.length; i++) {
            String candidate = line.isEmpty() ? words[i] : line + " " + words[i];
            if (fm.stringWidth(candidate) <= width || line.isEmpty()) {
                line.setLength(0);
                line.append(candidate);
                continue;
            }
            if (lines.size() == maxLines - 1) {
                line.append(' ').append(String.join(" ", List.of(words).subList(i, words.length)));
                break;
            }
            lines.add(fit(line.toString(), fm, width));
            line.setLength(0);
            line.append(words[i]);
        }
        lines.add(fit(line.toString(), fm, width));
        return lines;
    }

    private static byte[] encode(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new IllegalStateException("PNG encoding failed", e);
        }
        return out.toByteArray();
    }
}
