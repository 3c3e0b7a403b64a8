package io.campanile.stage1.engine;

import io.campanile.diffusion.schedule.DdpmScheduler;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.LoadedPack;
import io.campanile.engine.LoopContext;

/**
 * The iterative DDPM loop (Ho et al. 2020, algorithm 2, on a strided or named timestep list): from timesteps[iStart]
 * to the end of the list, each step one guided UNet call and one scheduler step; after the last entry the images are
 * clean (prevT = -1). Progress is reported per step and cancellation checked between steps.
 */
public final class DenoiseLoop {

    /** Called after every step with the images at prevT, e.g. to emit intermediates or re-impose known pixels. */
    @FunctionalInterface
    public interface AfterStep {
        void accept(int index, int prevT, Tensor x);
    }

    /** The settings of one loop run. */
    public record Run(int[] timesteps, int iStart, String noiseStream, int firstImage, String stage) {
    }

    private DenoiseLoop() {
    }

    /**
     * Denoises {@code x} [N, C, H, W] (at timesteps[iStart]) in place and returns it.
     *
     * @param hook called after each step, or null
     */
    public static Tensor run(LoopContext job, LoadedPack pack, GuidedUnet unet, Tensor x, Run run, AfterStep hook) {
        DdpmScheduler scheduler = pack.scheduler();
        int[] ts = run.timesteps();
        int n = x.dim(0);
        int[] tPerImage = new int[n];
        int total = ts.length - run.iStart();
        for (int i = run.iStart(); i < ts.length; i++) {
            job.checkCancelled();
            int t = ts[i];
            int prevT = i + 1 < ts.length ? ts[i + 1] : -1;
            java.util.Arrays.fill(tPerImage, t);
            // 1. Guided noise (and variance) estimate, one batched UNet call (a non-finite output fails the job).
            long t0 = System.nanoTime();
            Prediction p = unet.predict(x, tPerImage);
            long t1 = System.nanoTime();
            // 2. x_{prevT} from the DDPM posterior, with fresh noise from the job's seed unless t = 0.
            Tensor z = t > 0 ? Noise.batch(job.seed(), Noise.stepStream(run.noiseStream(), t), run.firstImage(), n,
                    pack.channels(), pack.size()) : null;
            long t2 = System.nanoTime();
            scheduler.stepInto(x, p.eps(), p.v(), t, prevT, z, x);
            long t3 = System.nanoTime();
            job.addTiming("predict", t1 - t0);
            job.addTiming("noise", t2 - t1);
            job.addTiming("step", t3 - t2);
            if (hook != null) {
                hook.accept(i, prevT, x);
            }
            job.progress(run.stage(), i - run.iStart() + 1, total);
        }
        return x;
    }
}
