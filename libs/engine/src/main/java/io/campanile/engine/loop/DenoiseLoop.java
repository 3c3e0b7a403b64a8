package io.campanile.engine.loop;

import io.campanile.diffusion.schedule.DdpmScheduler;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.LoopContext;
import io.campanile.packs.PackException;
import io.campanile.platform.JobFailedException;
import java.util.Arrays;

/**
 * The one denoising loop (Ho et al. 2020, algorithm 2, on a strided or named timestep list) that stage I, stage II and
 * the trainer's sampler run: from timesteps[iStart], each step one {@link Denoiser} call and one scheduler step from
 * ts[i] to ts[i + 1] with fresh noise from the job's seed unless t = 0. How it ends is the sampler's choice
 * ({@link Run#toClean}): diffusers (and part B's algorithm 2) take a last step from the final entry to the clean
 * image (prevT = -1, one call per entry); the CS180 notebook's {@code for i in range(i_start, len(timesteps) - 1)}
 * stops at the final entry and returns the image there. Cancellation is checked before each step, progress reported after it, and the per-step hook sees the
 * images (intermediates, re-imposed known pixels). When the job says a live preview is due, the x0-hat of the first
 * image is published ({@link LivePreview}), timed as "preview". A step's noise depends only on (seed, stream, image),
 * so one task per run draws the run's step noise ahead while the model runs ({@link NoiseAhead}); "noise" times what a
 * step still waits for it.
 */
public final class DenoiseLoop {

    /** Called after every step with the images at prevT. */
    @FunctionalInterface
    public interface AfterStep {
        void accept(int index, int prevT, Tensor x);
    }

    /**
     * The settings of one loop run.
     *
     * @param timesteps strictly decreasing
     * @param iStart the index the loop starts at
     * @param noiseStream the step noise's stream prefix ({@link Noise#stepStream})
     * @param firstImage the job-wide index of the batch's first image (noise is drawn per image)
     * @param stage the progress stage name
     * @param toClean whether the loop ends with a step from the last entry to the clean image (prevT = -1); without
     *     it the result is the image at the last entry
     * @param preview how the run's live previews look, or null for none
     */
    public record Run(
            int[] timesteps,
            int iStart,
            String noiseStream,
            int firstImage,
            String stage,
            boolean toClean,
            LivePreview preview) {

        /** A run without previews. */
        public Run(int[] timesteps, int iStart, String noiseStream, int firstImage, String stage, boolean toClean) {
            this(timesteps, iStart, noiseStream, firstImage, stage, toClean, null);
        }

        /** This run with live previews. */
        public Run withPreview(LivePreview p) {
            return new Run(timesteps, iStart, noiseStream, firstImage, stage, toClean, p);
        }

        /** The number of steps (UNet calls) the run takes. */
        public int steps() {
            return Math.max(0, (toClean ? timesteps.length : timesteps.length - 1) - iStart);
        }
    }

    private DenoiseLoop() {}

    /**
     * Denoises {@code x} [N, C, H, W] (at timesteps[iStart]) in place and returns it.
     *
     * @param hook called after each step, or null
     * @throws JobFailedException when the model or a step produces NaN or infinity
     */
    public static Tensor run(
            LoopContext job, DdpmScheduler scheduler, Denoiser model, Tensor x, Run run, AfterStep hook) {
        int[] ts = run.timesteps();
        int total = run.steps();
        String[] streams = new String[total];
        for (int k = 0; k < total; k++) {
            int t = ts[run.iStart() + k];
            streams[k] = t > 0 ? Noise.stepStream(run.noiseStream(), t) : null;
        }
        try (NoiseAhead noise = new NoiseAhead(job.seed(), streams, run.firstImage(), x.shape())) {
            for (int k = 0; k < total; k++) {
                step(job, scheduler, model, x, run, hook, noise, k);
            }
        }
        return x;
    }

    /** Step k of the run: the model call, the wait for its noise, the preview, the scheduler step, hook, progress. */
    private static void step(
            LoopContext job,
            DdpmScheduler scheduler,
            Denoiser model,
            Tensor x,
            Run run,
            AfterStep hook,
            NoiseAhead noise,
            int k) {
        job.checkCancelled();
        int[] ts = run.timesteps();
        int i = run.iStart() + k;
        int t = ts[i];
        int prevT = i + 1 < ts.length ? ts[i + 1] : -1;
        // 1. The (guided) noise and variance estimate, one batched model call.
        if (k == 0) {
            job.firstStep();
        }
        long t0 = System.nanoTime();
        Prediction p = predict(model, x, t);
        long t1 = System.nanoTime();
        // 2. x_{prevT} from the DDPM posterior, with fresh noise per image unless t = 0.
        Tensor z = noise.take(k);
        long t2 = System.nanoTime();
        int step = k + 1;
        int total = run.steps();
        if (run.preview() != null && job.previewDue(step, total)) {
            // x is overwritten by the step below: the preview is made from x_t and the step's eps first.
            job.preview(run.stage(), step, total, run.preview().png(scheduler, x, p.eps(), t));
            long tp = System.nanoTime();
            job.addTiming("preview", tp - t2);
            t2 = tp;
        }
        scheduler.stepInto(x, p.eps(), p.v(), t, prevT, z, x);
        noise.release(k);
        requireFinite(x, run, t);
        long t3 = System.nanoTime();
        job.addTiming("predict", t1 - t0);
        job.addTiming("noise", t2 - t1);
        job.addTiming("step", t3 - t2);
        if (hook != null) {
            hook.accept(i, prevT, x);
        }
        job.progress(run.stage(), step, total);
    }

    private static Prediction predict(Denoiser model, Tensor x, int t) {
        try {
            return model.predict(x, t);
        } catch (PackException e) { // NaN or infinity in the output, or ONNX Runtime failing on the pack
            throw new JobFailedException(e.getMessage());
        }
    }

    private static void requireFinite(Tensor x, Run run, int t) {
        for (float f : x.data()) {
            if (!Float.isFinite(f)) {
                throw new JobFailedException(
                        run.stage() + ": the step at timestep " + t + " produced NaN or" + " infinity");
            }
        }
    }

    /** Timesteps {@code count - 1, ..., 0}: every step of a schedule (the part-B sampler). */
    public static int[] everyStep(int count) {
        int[] ts = new int[count];
        Arrays.setAll(ts, i -> count - 1 - i);
        return ts;
    }
}
