package io.campanile.diffusion.views;

import java.util.List;
import java.util.Locale;

/**
 * The built-in {@link View}s by name:
 *
 * <ul>
 *   <li>{@code identity};
 *   <li>{@code flip}: upside down ({@code out[y][x] = in[H-1-y][x]}), the anagram view of the CS180 writeup;
 *   <li>{@code mirror}: left-right ({@code out[y][x] = in[y][W-1-x]});
 *   <li>{@code rot90}, {@code rot180}, {@code rot270}: counter-clockwise quarter turns as {@code torch.rot90(x, k,
 *       dims=(-2, -1))}, square images only;
 *   <li>{@code negate}: {@code x -> -x};
 *   <li>{@code patch_shuffle_<p>} (e.g. {@code patch_shuffle_8}): the {@code p x p} patches permuted by a fixed
 *       permutation of the patch count ({@code p} must divide H and W);
 *   <li>{@code jigsaw}: the four quadrants move one place clockwise and each turns a quarter counter-clockwise
 *       (square images of even size).
 * </ul>
 */
public final class Views {

    private static final String PATCH_PREFIX = "patch_shuffle_";

    private static final List<String> NAMES =
            List.of("identity", "flip", "mirror", "rot90", "rot180", "rot270", "negate", PATCH_PREFIX + "8", "jigsaw");

    private Views() {}

    /**
     * Returns the view of a name (case-insensitive, surrounding spaces ignored).
     *
     * @throws IllegalArgumentException {@code "views: unknown view 'x'; known: ..."}
     */
    public static View parse(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "identity" -> new PixelMap(key, PixelTables::identity, 1f);
            case "flip" -> new PixelMap(key, PixelTables::flip, 1f);
            case "mirror" -> new PixelMap(key, PixelTables::mirror, 1f);
            case "rot90" -> new PixelMap(key, (h, w) -> PixelTables.rotation(key, 1, h, w), 1f);
            case "rot180" -> new PixelMap(key, (h, w) -> PixelTables.rotation(key, 2, h, w), 1f);
            case "rot270" -> new PixelMap(key, (h, w) -> PixelTables.rotation(key, 3, h, w), 1f);
            case "negate" -> new PixelMap(key, PixelTables::identity, -1f);
            case "jigsaw" -> new PixelMap(key, (h, w) -> PixelTables.jigsaw(key, h, w), 1f);
            default -> patchShuffle(name, key);
        };
    }

    /**
     * The names {@link #parse} accepts, in a fixed order; the patch family is listed as {@code patch_shuffle_8},
     * though any positive patch size parses.
     */
    public static List<String> names() {
        return NAMES;
    }

    private static View patchShuffle(String name, String key) {
        if (key.startsWith(PATCH_PREFIX)) {
            String digits = key.substring(PATCH_PREFIX.length());
            if (digits.matches("[0-9]{1,4}") && Integer.parseInt(digits) > 0) {
                int p = Integer.parseInt(digits);
                String canonical = PATCH_PREFIX + p;
                return new PixelMap(canonical, (h, w) -> PixelTables.patchShuffle(canonical, p, h, w), 1f);
            }
        }
        throw new IllegalArgumentException("views: unknown view '" + name + "'; known: identity, flip, mirror, rot90, "
                + "rot180, rot270, negate, patch_shuffle_<p> (p > 0 dividing H and W), jigsaw");
    }
}
