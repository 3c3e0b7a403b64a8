package io.campanile.diffusion.schedule;

import java.util.Locale;

/**
 * The beta (noise variance) schedules a DDPM can be trained with, named as in diffusers' {@code beta_schedule}.
 *
 * <p>Betas are returned in double precision; {@link NoiseSchedule} rounds them to float32 the way diffusers does.
 */
public enum BetaSchedule {

    /**
     * The cosine schedule of Nichol &amp; Dhariwal 2021 ("Improved DDPM", eq. 17), as diffusers'
     * {@code betas_for_alpha_bar(alpha_transform_type="cosine")}: {@code alpha_bar(t) = cos^2(((t + 0.008) / 1.008)
     * * pi / 2)} and {@code beta_i = min(1 - alpha_bar((i + 1) / T) / alpha_bar(i / T), 0.999)}. The start and end
     * betas are ignored. DeepFloyd IF uses this schedule with T = 1000.
     */
    SQUAREDCOS_CAP_V2 {
        @Override
        public double[] betas(int numTrainSteps, double betaStart, double betaEnd) {
            requireSteps(numTrainSteps);
            double[] betas = new double[numTrainSteps];
            for (int i = 0; i < numTrainSteps; i++) {
                double t1 = (double) i / numTrainSteps;
                double t2 = (double) (i + 1) / numTrainSteps;
                betas[i] = Math.min(1 - alphaBar(t2) / alphaBar(t1), MAX_BETA);
            }
            return betas;
        }
    },

    /**
     * Betas evenly spaced from {@code betaStart} to {@code betaEnd} inclusive (Ho et al. 2020, section 4: 1e-4 to
     * 0.02), computed like {@code torch.linspace}: the first half counts up from the start, the second half down from
     * the end, so both end points are exact.
     */
    LINEAR {
        @Override
        public double[] betas(int numTrainSteps, double betaStart, double betaEnd) {
            requireSteps(numTrainSteps);
            double[] betas = new double[numTrainSteps];
            if (numTrainSteps == 1) {
                betas[0] = betaStart;
                return betas;
            }
            double step = (betaEnd - betaStart) / (numTrainSteps - 1);
            int half = numTrainSteps / 2;
            for (int i = 0; i < numTrainSteps; i++) {
                betas[i] = i < half ? betaStart + step * i : betaEnd - step * (numTrainSteps - 1 - i);
            }
            return betas;
        }
    };

    /** diffusers' {@code max_beta}: caps the last cosine betas, which would otherwise reach 1. */
    private static final double MAX_BETA = 0.999;

    /**
     * Returns the {@code numTrainSteps} betas of this schedule, index 0 first.
     *
     * @param numTrainSteps T, at least 1
     * @param betaStart first beta (LINEAR only)
     * @param betaEnd last beta (LINEAR only)
     */
    public abstract double[] betas(int numTrainSteps, double betaStart, double betaEnd);

    /**
     * Parses a diffusers {@code beta_schedule} name: {@code squaredcos_cap_v2} or {@code linear}, case-insensitive.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static BetaSchedule parse(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (key) {
            case "squaredcos_cap_v2":
                return SQUAREDCOS_CAP_V2;
            case "linear":
                return LINEAR;
            default:
                throw new IllegalArgumentException(
                        "beta_schedule: unknown schedule '" + name + "', expected one of: squaredcos_cap_v2, linear");
        }
    }

    /** Nichol &amp; Dhariwal 2021, eq. 17 with s = 0.008 (f(t) without the division by f(0)). */
    private static double alphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    private static void requireSteps(int numTrainSteps) {
        if (numTrainSteps < 1) {
            throw new IllegalArgumentException("num_train_timesteps: must be at least 1, got " + numTrainSteps);
        }
    }
}
