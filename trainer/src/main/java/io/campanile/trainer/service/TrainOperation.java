package io.campanile.trainer.service;

import io.campanile.contracts.jobs.TrainRequest;
import io.campanile.platform.JobContext;
import io.campanile.platform.JobFailedException;
import io.campanile.platform.Operation;
import io.campanile.trainer.inference.PackExporter;
import io.campanile.trainer.inference.UNetModel;
import io.campanile.trainer.mnist.MnistDataset;
import io.campanile.trainer.mnist.MnistFiles;
import io.campanile.trainer.model.TrainParams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The {@code train} job: trains one of the three part-B models on MNIST and reports its figures, loss plot and
 * per-epoch checkpoints (see {@link TrainingRun} for resume). MNIST is read once and kept.
 */
public final class TrainOperation implements Operation<TrainRequest> {
    private static final Logger LOG = Logger.getLogger(TrainOperation.class);
    private final MnistFiles files;
    private final Optional<Path> packsDir;
    private MnistDataset train;
    private MnistDataset test;

    /** @param packsDir where finished DDPM models are exported as packs, or empty for no export */
    public TrainOperation(MnistFiles files, Optional<Path> packsDir) {
        this.files = files;
        this.packsDir = packsDir;
    }

    /** The pack id a job's model is exported as: {@code mnist-<architecture>-<job id>}. */
    public static String packId(TrainParams params, UUID jobId) {
        return "mnist-" + params.architecture().wireName().replace('_', '-') + "-" + jobId;
    }

    @Override
    public Class<TrainRequest> requestType() {
        return TrainRequest.class;
    }

    @Override
    public void run(TrainRequest request, JobContext job) {
        TrainParams params = TrainParams.of(request, job.seed());
        loadData();
        try (UNetModel model = new TrainingRun(params, train, test, new JobSink(job)).run()) {
            if (packsDir.isPresent() && params.architecture().isDiffusion()) {
                String id = packId(params, job.request().jobId());
                try {
                    PackExporter.export(model, params, id, packsDir.get().resolve(id));
                } catch (IOException e) {
                    throw new UncheckedIOException("export of pack " + id + " failed", e);
                }
                LOG.infof("job %s: model exported as pack %s", job.request().jobId(), id);
            }
        }
    }

    private synchronized void loadData() {
        if (train == null) {
            try {
                train = files.train();
                test = files.test();
            } catch (MnistFiles.MnistException e) {
                throw new JobFailedException(e.getMessage());
            }
        }
    }
}
