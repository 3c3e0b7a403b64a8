package io.campanile.trainer.service;

import io.campanile.platform.JobContext;
import io.campanile.platform.JobWorker;
import io.campanile.trainer.inference.UNetModel;
import io.campanile.trainer.mnist.MnistDataset;
import io.campanile.trainer.mnist.MnistFiles;
import io.campanile.trainer.model.TrainParams;

/**
 * The {@code train} job: trains one of the three part-B models on MNIST and reports its figures, loss plot and
 * per-epoch checkpoints (see {@link TrainingRun} for resume). MNIST is read once and kept.
 */
public final class TrainOperation implements JobWorker.Operation {
    private final MnistFiles files;
    private MnistDataset train;
    private MnistDataset test;

    public TrainOperation(MnistFiles files) {
        this.files = files;
    }

    @Override
    public void run(JobContext job) {
        TrainParams params = TrainRequest.parse(job.request().params(), job.seed());
        loadData();
        try (UNetModel model = new TrainingRun(params, train, test, new JobSink(job)).run()) {
            job.progress("train", 1, 1);
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
