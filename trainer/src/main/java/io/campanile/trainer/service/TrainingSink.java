package io.campanile.trainer.service;

import io.campanile.contracts.Progress;
import io.campanile.diffusion.tensor.Tensor;
import java.util.Optional;

/** Where a training run reports: a job ({@link JobSink}) or, for the command line and tests, a folder. */
public interface TrainingSink {
    void progress(Progress p);

    /** An output image [C, H, W] in [0, 1]. */
    void image(String role, Tensor chw);

    /** A labelled figure: its rendered PNG, and the image [C, H, W] in [0, 1] it shows (kept as the data). */
    void figure(String role, byte[] png, Tensor chw);

    /** An output picture that is a rendered PNG (the loss plot). */
    void picture(String role, byte[] png);

    /** Stores a file under a key of this run (checkpoints, the GIF); a key is written once. */
    void putFile(String key, byte[] bytes, String mediaType);

    /** A file stored by an earlier attempt of this run. */
    Optional<byte[]> file(String key);

    /** Throws when the run was cancelled. */
    void checkCancelled();
}
