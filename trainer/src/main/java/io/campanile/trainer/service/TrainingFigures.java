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
            Figure f = new Figure(SIGMAS.length);
            for (int d = 0; d < DIGITS; d++) {
                f.row(
                        "digit " + (d + 1) + ": x + sigma eps",
                        out,
                        d * SIGMAS.length * PX,
                        Figure.captions("sigma = ", SIGMAS));
            }
            f.emit(sink, "noising sigma 0-1");
            return;
        }
        NoiseSchedule sched = NoiseSchedule.of(BetaSchedule.LINEAR, params.numTimesteps(), 1e-4, 0.02);
        int cols = 7;
        float[] out = new float[DIGITS * cols * PX];
        double[] ts = new double[cols];
        for (int d = 0; d < DIGITS; d++) {
            for (int k = 0; k < cols; k++) {
                int t = (int) Math.round(k * (params.numTimesteps() - 1) / (double) (cols - 1));
                ts[k] = t;
                double ab = sched.alphaCumprod(t);
                for (int p = 0; p < PX; p++) {
                    out[(d * cols + k) * PX + p] =
                            (float) (Math.sqrt(ab) * test.images()[d * PX + p] + Math.sqrt(1 - ab) * r.nextGaussian());
                }
            }
        }
        Figure f = new Figure(cols);
        for (int d = 0; d < DIGITS; d++) {
            f.row("digit " + (d + 1) + ": x_t", out, d * cols * PX, Figure.captions("t = ", ts));
        }
        f.emit(sink, "forward process t 0-" + (params.numTimesteps() - 1));
    }

    /** Denoiser after an epoch: clean, noisy (sigma), denoised rows for test digits. */
    public void denoised(EpsilonModel model, int epoch) {
        SplittableRandom r = new SplittableRandom(params.seed() ^ 0xd0e5);
        float[] noisy = new float[DIGITS * PX];
        for (int d = 0; d < DIGITS; d++) {
            noisy(d, params.sigma(), r, noisy, d * PX);
        }
        float[] out = model.predict(noisy, null, null, DIGITS);
        List<String> none = Figure.repeat(null, DIGITS);
        new Figure(DIGITS)
                .row("clean (test set)", test.images(), 0, none)
                .row("noisy, sigma = " + params.sigma(), noisy, 0, none)
                .row("denoised, epoch " + epoch, out, 0, none)
                .emit(sink, "denoised epoch " + epoch);
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
        Figure f = new Figure(SIGMAS.length);
        List<String> sigmas = Figure.captions("sigma = ", SIGMAS);
        for (int d = 0; d < digits; d++) {
            f.row("digit " + (d + 1) + ": noisy", noisy, d * SIGMAS.length * PX, sigmas);
            f.row("denoised", out, d * SIGMAS.length * PX, sigmas);
        }
        f.emit(sink, "out-of-distribution sigma");
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
        Figure f = new Figure(10);
        List<String> captions =
                classes != null ? Figure.captions("class ", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9) : Figure.repeat(null, 10);
        String how = classes != null ? "epoch " + epoch + ", CFG " + params.guidanceScale() : "epoch " + epoch;
        for (int row = 0; row < 4; row++) {
            f.row(how, out, row * 10 * PX, captions);
        }
        f.emit(sink, "samples epoch " + epoch);
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
