package io.campanile.diffusion.schedule;

import java.util.Locale;

/**
 * How a DDPM step chooses the variance of the noise it adds, named as diffusers' {@code variance_type}.
 *
 * <p>With {@code t' } the previous timestep of the step, {@code beta_t = 1 - alpha_bar_t / alpha_bar_t'} and the
 * posterior variance {@code beta~_t = (1 - alpha_bar_t') / (1 - alpha_bar_t) beta_t} (Ho et al. 2020, eq. 7):
 */
public enum VarianceType {

    /**
     * {@code learned_range} (Nichol &amp; Dhariwal 2021, eq. 15): the model outputs {@code v} in [-1, 1] per element
     * and the log variance interpolates {@code frac log(beta_t) + (1 - frac) log(beta~_t)}, {@code frac = (v + 1) / 2}.
     * DeepFloyd IF uses this (the second half of its UNet output channels).
     */
    LEARNED_RANGE("learned_range"),

    /** {@code fixed_small}: the posterior variance {@code beta~_t} (Ho et al. 2020, section 3.2, lower bound). */
    FIXED_SMALL("fixed_small"),

    /**
     * {@code fixed_large}: {@code beta_t} (Ho et al. 2020, section 3.2, upper bound); the CS180 part-B sampling loop's
     * {@code x_{t-1} = mean + sqrt(beta_t) z}.
     */
    FIXED_LARGE("fixed_large");

    private final String wireName;

    VarianceType(String wireName) {
        this.wireName = wireName;
    }

    /** The diffusers / job wire name, e.g. {@code learned_range}. */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a wire name, case-insensitively: {@code learned_range}, {@code fixed_small}, {@code fixed_large}, or
     * {@code fixed} (an alias of {@code fixed_large}).
     *
     * @throws IllegalArgumentException naming the value for anything else
     */
    public static VarianceType parse(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (key.equals("fixed")) {
            return FIXED_LARGE;
        }
        for (VarianceType type : values()) {
            if (type.wireName.equals(key)) {
                return type;
            }
        }
        throw new IllegalArgumentException("variance_type: unknown variance type '" + name
                + "', expected one of: learned_range, fixed_small, fixed_large, fixed");
    }
}
