package io.campanile.trainer.service;

import io.campanile.contracts.jobs.TrainRequest;
import io.campanile.platform.JobContext;
import io.campanile.platform.Operation;
import io.campanile.trainer.inference.PackExporter;
import io.campanile.trainer.inference.UNetModel;
import io.campanile.trainer.mnist.MnistDataset;
import io.campanile.trainer.mnist.MnistFiles;
import io.campanile.trainer.model.TrainParams;

/**
 * The {@code train} job: trains one of the three part-B models on MNIST and reports its figures, loss plot and
 * per-epoch checkpoints (see {@link TrainingRun} for resume). MNIST is read once and kept.
 */
public final class TrainOperation implements Operation<TrainRequest> {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(TrainOperation.class);
    private final MnistFiles files;
    private final java.util.Optional<java.nio.file.Path> packsDir;
    private MnistDataset train;
    private MnistDataset test;

    /** @param packsDir where finished DDPM models are exported as packs, or empty for no export */
    public TrainOperation(MnistFiles files, java.util.Optional<java.nio.file.Path> packsDir) {
        this.files = files;
        this.packsDir = packsDir;
    }

    /** The pack id a job's model is exported as: {@code mnist-<architecture>-<job id>}. */
    public static String packId(TrainParams params, java.util.UUID jobId) {
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
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("export of pack " + id + " failed", e);
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
                throw new io.campanile.platform.JobFailedException(e.getMessage());
            }
        }
    }
}
