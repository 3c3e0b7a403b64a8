package io.campanile.trainer.service;

import io.campanile.contracts.jobs.Architecture;
import io.campanile.diffusion.schedule.BetaSchedule;
import io.campanile.diffusion.schedule.NoiseSchedule;
import io.campanile.trainer.mnist.MnistDataset;
import io.campanile.trainer.model.Batch;
import io.campanile.trainer.model.TrainParams;
import java.util.SplittableRandom;

/**
 * Draws the batches of an epoch: a seeded shuffle per epoch and seeded noise per batch, so a resumed run sees the
 * same batches as an uninterrupted one.
 *
 * <p>Denoiser: z = x + sigma eps, target x. DDPM (DDPM eq. 14 / course B.2.2): t ~ U{0..T-1},
 * x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps, target eps, fed t / T; class one-hots zeroed with p_uncond.
 */
public final class BatchMaker {
    private final TrainParams params;
    private final MnistDataset data;
    private final NoiseSchedule schedule;

    public BatchMaker(TrainParams params, MnistDataset data) {
        this.params = params;
        this.data = data;
        this.schedule = NoiseSchedule.of(BetaSchedule.LINEAR, params.numTimesteps(), 1e-4, 0.02);
    }

    public int batchesPerEpoch() {
        return (data.size() + params.batchSize() - 1) / params.batchSize();
    }

    /** The permutation of the training images in (0-based) epoch {@code epoch}. */
    public int[] order(int epoch) {
        int[] idx = new int[data.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        SplittableRandom r = new SplittableRandom(params.seed() * 1_000_003L + epoch);
        for (int i = idx.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = idx[i];
            idx[i] = idx[j];
            idx[j] = tmp;
        }
        return idx;
    }

    /** Batch {@code step} of an epoch whose order is {@code order}. */
    public Batch batch(int[] order, int epoch, int step) {
        int from = step * params.batchSize();
        int n = Math.min(params.batchSize(), order.length - from);
        SplittableRandom r = new SplittableRandom((params.seed() * 31 + epoch) * 1_000_003L + step);
        float[] clean = new float[n * MnistDataset.PIXELS];
        for (int i = 0; i < n; i++) {
            data.copyImage(order[from + i], clean, i * MnistDataset.PIXELS);
        }
        float[] x = new float[clean.length];
        float[] target = new float[clean.length];
        if (params.architecture() == Architecture.DENOISER) {
            for (int i = 0; i < clean.length; i++) {
                x[i] = clean[i] + (float) (params.sigma() * r.nextGaussian());
            }
            return new Batch(x, null, null, clean, n);
        }
        float[] t = new float[n];
        float[] c = params.architecture() == Architecture.CLASS_CONDITIONED ? new float[n * 10] : null;
        for (int i = 0; i < n; i++) {
            int ti = r.nextInt(params.numTimesteps());
            t[i] = ti / (float) params.numTimesteps();
            double ab = schedule.alphaCumprod(ti);
            float a = (float) Math.sqrt(ab);
            float s = (float) Math.sqrt(1 - ab);
            for (int p = i * MnistDataset.PIXELS; p < (i + 1) * MnistDataset.PIXELS; p++) {
                float eps = (float) r.nextGaussian();
                x[p] = a * clean[p] + s * eps;
                target[p] = eps;
            }
            if (c != null && r.nextDouble() >= params.pUncond()) {
                c[i * 10 + data.labels()[order[from + i]]] = 1;
            }
        }
        return new Batch(x, t, c, target, n);
    }
}
