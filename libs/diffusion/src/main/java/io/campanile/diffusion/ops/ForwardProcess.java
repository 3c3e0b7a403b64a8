package io.campanile.diffusion.ops;

import io.campanile.diffusion.schedule.NoiseSchedule;
import io.campanile.diffusion.tensor.Tensor;

/** The DDPM forward (noising) process q(x_t | x_0) in closed form. */
public final class ForwardProcess {

    private ForwardProcess() {}

    /**
     * Noises a clean image to timestep {@code t}: {@code x_t = sqrt(alpha_bar_t) x_0 + sqrt(1 - alpha_bar_t) eps}
     * (Ho et al. 2020, eq. 4, reparameterised as in their eq. 12 / Algorithm 1).
     *
     * @param x0 the clean image(s), any shape, usually in [-1, 1]
     * @param eps standard normal noise of the same shape as {@code x0}
     * @param s the noise schedule
     * @param t the timestep, in {@code [0, T - 1]}
     * @return a new tensor {@code x_t}; the inputs are not modified
     * @throws IllegalArgumentException if the shapes differ or {@code t} is out of range
     */
    public static Tensor noise(Tensor x0, Tensor eps, NoiseSchedule s, int t) {
        Tensor.requireSameShape(x0, eps);
        s.checkTimestep("t", t);
        double alphaBar = s.alphaCumprod(t);
        float signal = (float) Math.sqrt(alphaBar);
        float noise = (float) Math.sqrt(1.0 - alphaBar);
        float[] x = x0.data();
        float[] e = eps.data();
        float[] out = new float[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = signal * x[i] + noise * e[i];
        }
        return new Tensor(x0.shape(), out);
    }
}
