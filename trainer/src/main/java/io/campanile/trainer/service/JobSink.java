package io.campanile.trainer.service;

import io.campanile.contracts.Progress;
import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.output.OutputWriter;
import io.campanile.platform.JobContext;
import java.util.Optional;

/** A training run reporting through its job: events on job-events, images and files in storage. */
public record JobSink(JobContext job) implements TrainingSink {
    @Override
    public void progress(Progress p) {
        job.events().progress(p);
    }

    @Override
    public void image(String role, Tensor chw) {
        new OutputWriter(job).image(role, chw, ValueRange.ZERO_ONE);
    }

    @Override
    public void figure(String role, byte[] png, Tensor chw) {
        new OutputWriter(job).figure(role, png, chw, ValueRange.ZERO_ONE);
    }

    @Override
    public void picture(String role, byte[] png) {
        new OutputWriter(job).picture(role, png);
    }

    @Override
    public void putFile(String key, byte[] bytes, String mediaType) {
        job.files().put(key, bytes, mediaType);
    }

    @Override
    public Optional<byte[]> file(String key) {
        return job.files().get(key);
    }

    @Override
    public void checkCancelled() {
        job.checkCancelled();
    }
}
