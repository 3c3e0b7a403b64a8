package io.campanile.engine.guided;

import io.campanile.diffusion.ops.GaussianBlur;
import io.campanile.diffusion.tensor.Tensor;
import java.util.List;

/** How a step combines the guided noise estimates of its branches into one (per image, each [C, H, W]). */
@FunctionalInterface
public interface Mix {

    Tensor combine(List<Tensor> perBranch);

    /** The mean of the branches: one branch as is, or the visual-anagram average (eps1 + eps2) / 2. */
    static Mix mean() {
        return branches -> {
            if (branches.size() == 1) {
                return branches.get(0);
            }
            float[] out = new float[branches.get(0).size()];
            for (Tensor b : branches) {
                float[] d = b.data();
                for (int i = 0; i < out.length; i++) {
                    out[i] += d[i];
                }
            }
            float inv = 1f / branches.size();
            for (int i = 0; i < out.length; i++) {
                out[i] *= inv;
            }
            return new Tensor(branches.get(0).shape(), out);
        };
    }

    /**
     * Factorized diffusion (hybrid images): eps = lowpass(eps_far) + highpass(eps_near), with highpass(e) = e -
     * lowpass(e) and a Gaussian low-pass of the given kernel and sigma.
     */
    static Mix lowHigh(int kernelSize, double sigma) {
        return branches -> {
            Tensor low = GaussianBlur.blur(branches.get(0), kernelSize, sigma);
            Tensor near = branches.get(1);
            Tensor nearLow = GaussianBlur.blur(near, kernelSize, sigma);
            float[] out = low.data();
            float[] n = near.data();
            float[] nl = nearLow.data();
            for (int i = 0; i < out.length; i++) {
                out[i] += n[i] - nl[i];
            }
            return low;
        };
    }
}
