package io.campanile.diffusion.image;

import java.util.Locale;

/**
 * The value range of image tensors. Pixels are handled in the unit range [0, 1]; a range maps to and from it.
 * DeepFloyd IF works in [-1, 1]; the MNIST models of CS180 part B in [0, 1].
 */
public enum ValueRange {

    /** [-1, 1]: {@code v = 2u - 1}. */
    MINUS_ONE_ONE {
        @Override
        public float toUnit(float v) {
            return (v + 1f) * 0.5f;
        }

        @Override
        public float fromUnit(float u) {
            return 2f * u - 1f;
        }
    },

    /** [0, 1]: the identity. */
    ZERO_ONE {
        @Override
        public float toUnit(float v) {
            return v;
        }

        @Override
        public float fromUnit(float u) {
            return u;
        }
    };

    /** Maps a value of this range to [0, 1] (no clamping). */
    public abstract float toUnit(float v);

    /** Maps a value in [0, 1] to this range (no clamping). */
    public abstract float fromUnit(float u);

    /**
     * Parses {@code "[-1,1]"} or {@code "minus_one_one"}, {@code "[0,1]"} or {@code "zero_one"}; case and spaces are
     * ignored.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static ValueRange parse(String text) {
        String key = text == null ? "" : text.replace(" ", "").toLowerCase(Locale.ROOT);
        switch (key) {
            case "[-1,1]":
            case "minus_one_one":
                return MINUS_ONE_ONE;
            case "[0,1]":
            case "zero_one":
                return ZERO_ONE;
            default:
                throw new IllegalArgumentException(
                        "value_range: unknown range '" + text + "', expected [-1,1], minus_one_one, [0,1] or zero_one");
        }
    }
}
