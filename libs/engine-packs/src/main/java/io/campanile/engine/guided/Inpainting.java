package io.campanile.engine.guided;

import io.campanile.diffusion.ops.ForwardProcess;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.loop.Noise;
import io.campanile.engine.packs.LoadedPack;

/**
 * Inpainting's step after every DDPM step: x = m x + (1 - m) known, with m = 1 where new content goes. The known
 * pixels are the original noised to the step's timestep (repaint, the course, after Lugmayr et al. 2022), or the
 * clean original (keep_clean, and after the last step).
 */
public final class Inpainting {
    private final Tensor x0;
    private final Tensor mask;
    private final boolean repaint;
    private final LoadedPack pack;
    private final long seed;

    /**
     * @param x0 the original [C, S, S]
     * @param mask [1, S, S] of 0 and 1
     */
    public Inpainting(LoadedPack pack, long seed, Tensor x0, Tensor mask, boolean repaint) {
        this.pack = pack;
        this.seed = seed;
        this.x0 = x0;
        this.mask = mask;
        this.repaint = repaint;
    }

    /** Re-imposes the known region on every image of x [N, C, S, S] at prevT, in place. */
    public void impose(Tensor x, int prevT) {
        int plane = x0.size();
        int pixels = mask.size();
        float[] xd = x.data();
        float[] m = mask.data();
        for (int img = 0; img < x.dim(0); img++) {
            float[] known = known(prevT, img);
            for (int k = 0; k < plane; k++) {
                float mk = m[k % pixels];
                xd[img * plane + k] = mk * xd[img * plane + k] + (1 - mk) * known[k];
            }
        }
    }

    /** The known pixels of image img at prevT (DDPM eq. 4 with the noise of stream "inpaint known t=T"). */
    public float[] known(int prevT, int img) {
        if (!repaint || prevT < 0) {
            return x0.data();
        }
        Tensor eps = Noise.batch(seed, "inpaint known t=" + prevT, img, 1, pack.channels(), pack.size());
        return ForwardProcess.noise(
                        x0, eps.reshape(x0.shape()), pack.scheduler().schedule(), prevT)
                .data();
    }
}
