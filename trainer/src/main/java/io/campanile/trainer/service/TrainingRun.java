package io.campanile.trainer.service;

import com.fasterxml.jackson.core.type.TypeReference;
import io.campanile.contracts.Json;
import io.campanile.contracts.Progress;
import io.campanile.contracts.jobs.Architecture;
import io.campanile.trainer.inference.OnnxEpsilon;
import io.campanile.trainer.inference.UNetModel;
import io.campanile.trainer.mnist.MnistDataset;
import io.campanile.trainer.model.Batch;
import io.campanile.trainer.model.TrainParams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One training run: epochs of Adam steps, a checkpoint after every epoch, the figures after the chosen epochs, the
 * loss plot at the end.
 *
 * <p>Resume: after epoch k the run stores its checkpoint (SameDiff file with weights, running statistics and Adam
 * state) as file {@code checkpoint-epoch-k.sd} and the losses so far as {@code losses-epoch-k.json} through the sink
 * (a job binds them to its id in storage refs). A run of the same job (redelivered after a crash or a restart) looks
 * for the latest such checkpoint and goes on from the epoch after it; batches are drawn from the seed, epoch and
 * step, so the resumed run sees the batches an uninterrupted one would have.
 */
public final class TrainingRun {
    private static final String STAGE = "train";

    private final TrainParams params;
    private final MnistDataset train;
    private final MnistDataset test;
    private final TrainingSink sink;
    private final List<Double> losses = new ArrayList<>();
    private UNetModel model;

    public TrainingRun(TrainParams params, MnistDataset train, MnistDataset test, TrainingSink sink) {
        this.params = params;
        this.train = params.trainSubset() > 0 ? train.head(params.trainSubset()) : train;
        this.test = test;
        this.sink = sink;
    }

    /** Runs (or resumes) to the end and returns the trained model; the caller closes it. */
    public UNetModel run() {
        BatchMaker maker = new BatchMaker(params, train);
        TrainingFigures figures = new TrainingFigures(params, test, sink);
        int start = resume();
        if (start == 0) {
            model = UNetModel.create(params.spec(), params.seed(), params.lr(), params.gammaPerEpoch());
            figures.noising();
        }
        model.precision(params.precision());
        int perEpoch = maker.batchesPerEpoch();
        int totalSteps = perEpoch * params.epochs();
        long t0 = System.nanoTime();
        long images = 0;
        for (int epoch = start; epoch < params.epochs(); epoch++) {
            model.setEpoch(epoch);
            int[] order = maker.order(epoch);
            for (int step = 0; step < perEpoch; step++) {
                sink.checkCancelled();
                Batch b = maker.batch(order, epoch, step);
                losses.add(model.fit(b));
                images += b.n();
                double secs = (System.nanoTime() - t0) / 1e9;
                double ips = images / Math.max(secs, 1e-9);
                int done = epoch * perEpoch + step + 1;
                double eta = (totalSteps - done) * (double) params.batchSize() / ips;
                sink.progress(new Progress(STAGE, done, totalSteps, epoch + 1, recentLoss(), ips, eta));
            }
            checkpoint(epoch + 1);
            if (params.drawsAfter(epoch + 1)) {
                draw(figures, epoch + 1);
            }
        }
        sink.picture(
                "loss curve", LossChart.png(params.architecture().wireName() + " training loss", losses, 800, 500));
        return model;
    }

    /** The losses of every step so far (for tests and the command line). */
    public List<Double> losses() {
        return List.copyOf(losses);
    }

    private void draw(TrainingFigures figures, int epoch) {
        if (params.architecture() == Architecture.DENOISER) {
            figures.denoised(model::predict, epoch);
            if (epoch == params.epochs()) {
                figures.outOfDistribution(model::predict);
            }
        } else {
            // the pack graph in ONNX Runtime, as stage 1 serves it: guidance shares the encoder between its rows
            try (OnnxEpsilon eps = OnnxEpsilon.of(model, params.numTimesteps())) {
                figures.samples(eps, epoch, epoch == params.epochs());
            }
        }
    }

    private double recentLoss() {
        int n = Math.min(10, losses.size());
        double s = 0;
        for (int i = losses.size() - n; i < losses.size(); i++) {
            s += losses.get(i);
        }
        return s / Math.max(1, n);
    }

    private void checkpoint(int epochsDone) {
        // Losses first, the checkpoint last: a key is bound once in storage, so an attempt that died between the
        // two finds the small losses file already there (kept) and writes only the checkpoint.
        try {
            String lossKey = "losses-epoch-" + epochsDone + ".json";
            if (sink.file(lossKey).isEmpty()) {
                sink.putFile(lossKey, Json.mapper().writeValueAsBytes(losses), "application/json");
            }
            sink.putFile("checkpoint-epoch-" + epochsDone + ".sd", model.checkpointBytes(), "application/octet-stream");
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint after epoch " + epochsDone + " failed", e);
        }
    }

    /** Loads the latest checkpoint of an earlier attempt; returns the number of epochs it had done (0: none). */
    private int resume() {
        for (int k = params.epochs(); k >= 1; k--) {
            Optional<byte[]> ckpt = sink.file("checkpoint-epoch-" + k + ".sd");
            Optional<byte[]> lossJson = sink.file("losses-epoch-" + k + ".json");
            if (ckpt.isPresent() && lossJson.isPresent()) {
                try {
                    model = UNetModel.fromCheckpoint(params.spec(), ckpt.get());
                    losses.addAll(Json.mapper().readValue(lossJson.get(), new TypeReference<List<Double>>() {}));
                } catch (IOException e) {
                    throw new UncheckedIOException("checkpoint of epoch " + k + " cannot be read", e);
                }
                return k;
            }
        }
        return 0;
    }
}
