package io.campanile.trainer.service;

import io.campanile.contracts.jobs.Architecture;
import io.campanile.diffusion.schedule.BetaSchedule;
import io.campanile.diffusion.schedule.NoiseSchedule;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.trainer.mnist.MnistDataset;
import io.campanile.trainer.model.EpsilonModel;
import io.campanile.trainer.model.TrainParams;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The figures of the writeup (part B), drawn from a model and the test set into a {@link TrainingSink}. */
public final class TrainingFigures {
    /** The out-of-distribution noise levels the course shows. */
    public static final double[] SIGMAS = {0, 0.2, 0.4, 0.5, 0.6, 0.8, 1.0};

    static final int DIGITS = 5;
    static final int PX = MnistDataset.PIXELS;

    private final TrainParams params;
    private final MnistDataset test;
    private final TrainingSink sink;

    public TrainingFigures(TrainParams params, MnistDataset test, TrainingSink sink) {
        this.params = params;
        this.test = test;
        this.sink = sink;
    }

    /** The noising figure: digits (rows) at increasing sigma, or along the forward process for the DDPMs. */
    public void noising() {
        SplittableRandom r = new SplittableRandom(params.seed() ^ 0x5eed);
        if (params.architecture() == Architecture.DENOISER) {
            float[] out = new float[DIGITS * SIGMAS.length * PX];
            for (int d = 0; d < DIGITS; d++) {
                for (int s = 0; s < SIGMAS.length; s++) {
                    noisy(d, SIGMAS[s], r, out, (d * SIGMAS.length + s) * PX);
                }
            }
            sink.image("noising sigma 0-1", Grid.of(out, DIGITS, SIGMAS.length));
            return;
        }
        NoiseSchedule sched = NoiseSchedule.of(BetaSchedule.LINEAR, params.numTimesteps(), 1e-4, 0.02);
        int cols = 7;
        float[] out = new float[DIGITS * cols * PX];
        for (int d = 0; d < DIGITS; d++) {
            for (int k = 0; k < cols; k++) {
                int t = (int) Math.round(k * (params.numTimesteps() - 1) / (double) (cols - 1));
                double ab = sched.alphaCumprod(t);
                for (int p = 0; p < PX; p++) {
                    out[(d * cols + k) * PX + p] =
                            (float) (Math.sqrt(ab) * test.images()[d * PX + p] + Math.sqrt(1 - ab) * r.nextGaussian());
                }
            }
        }
        sink.image("forward process t 0-" + (params.numTimesteps() - 1), Grid.of(out, DIGITS, cols));
    }

    /** Denoiser after an epoch: clean, noisy (sigma), denoised rows for test digits. */
    public void denoised(EpsilonModel model, int epoch) {
        SplittableRandom r = new SplittableRandom(params.seed() ^ 0xd0e5);
        float[] noisy = new float[DIGITS * PX];
        for (int d = 0; d < DIGITS; d++) {
            noisy(d, params.sigma(), r, noisy, d * PX);
        }
        float[] out = model.predict(noisy, null, null, DIGITS);
        float[] grid = new float[3 * DIGITS * PX];
        System.arraycopy(test.images(), 0, grid, 0, DIGITS * PX);
        System.arraycopy(noisy, 0, grid, DIGITS * PX, DIGITS * PX);
        System.arraycopy(out, 0, grid, 2 * DIGITS * PX, DIGITS * PX);
        sink.image("denoised epoch " + epoch, Grid.of(grid, 3, DIGITS));
    }

    /** Denoiser at the end: noisy and denoised rows of test digits at each sigma in {@link #SIGMAS}. */
    public void outOfDistribution(EpsilonModel model) {
        SplittableRandom r = new SplittableRandom(params.seed() ^ 0x00d);
        int digits = 3;
        int n = digits * SIGMAS.length;
        float[] noisy = new float[n * PX];
        for (int d = 0; d < digits; d++) {
            for (int s = 0; s < SIGMAS.length; s++) {
                noisy(d, SIGMAS[s], r, noisy, (d * SIGMAS.length + s) * PX);
            }
        }
        float[] out = model.predict(noisy, null, null, n);
        float[] grid = new float[2 * n * PX];
        for (int d = 0; d < digits; d++) {
            System.arraycopy(noisy, d * SIGMAS.length * PX, grid, 2 * d * SIGMAS.length * PX, SIGMAS.length * PX);
            System.arraycopy(out, d * SIGMAS.length * PX, grid, (2 * d + 1) * SIGMAS.length * PX, SIGMAS.length * PX);
        }
        sink.image("out-of-distribution sigma", Grid.of(grid, 2 * digits, SIGMAS.length));
    }

    /**
     * DDPM samples after an epoch: 4 rows of 10 (class-conditioned: column = digit, CFG), and with {@code gif} an
     * animated GIF of the trajectory stored as file {@code sampling-epoch-<k>.gif}.
     *
     * @return the samples [40, 1, 28, 28]
     */
    public float[] samples(EpsilonModel model, int epoch, boolean gif) {
        int n = 40;
        float[] classes = null;
        if (params.architecture() == Architecture.CLASS_CONDITIONED) {
            classes = new float[n * 10];
            for (int k = 0; k < n; k++) {
                classes[k * 10 + k % 10] = 1;
            }
        }
        List<Tensor> frames = new ArrayList<>();
        int every = Math.max(1, params.numTimesteps() / 30);
        DdpmSampler.Snapshot snap = gif
                ? (t, x) -> {
                    if (t % every == 0) {
                        frames.add(Grid.of(x, 4, 10));
                    }
                }
                : null;
        float[] out = new DdpmSampler(model, params.numTimesteps())
                .sample(n, classes, params.guidanceScale(), params.seed() * 7919 + epoch, snap);
        sink.image("samples epoch " + epoch, Grid.of(out, 4, 10));
        if (gif) {
            frames.add(Grid.of(out, 4, 10));
            sink.putFile("sampling-epoch-" + epoch + ".gif", GifWriter.animate(frames, 8), "image/gif");
        }
        return out;
    }

    private void noisy(int digit, double sigma, SplittableRandom r, float[] dst, int offset) {
        for (int p = 0; p < PX; p++) {
            dst[offset + p] = (float) (test.images()[digit * PX + p] + sigma * r.nextGaussian());
        }
    }
}
