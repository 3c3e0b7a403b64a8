package io.campanile.trainer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.contracts.Progress;
import io.campanile.diffusion.image.PngText;
import io.campanile.platform.JobCancelledException;
import io.campanile.trainer.inference.UNetModel;
import io.campanile.trainer.mnist.MnistDataset;
import io.campanile.trainer.mnist.MnistFiles;
import io.campanile.trainer.model.TrainParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Short training runs on the fixture: outputs, checkpoints, progress, resume and cancellation. */
class TrainingRunTest {
    static MnistDataset train;
    static MnistDataset test;

    @BeforeAll
    static void data() throws Exception {
        Path dir = Paths.get(TrainingRunTest.class
                        .getResource("/mnist-fixture/SHA256SUMS")
                        .toURI())
                .getParent();
        MnistFiles files = new MnistFiles(dir, null);
        train = files.train();
        test = files.test();
    }

    static TrainParams shortRun(String arch, int epochs) {
        ObjectNode p = JsonNodeFactory.instance
                .objectNode()
                .put("architecture", arch)
                .put("epochs", epochs)
                .put("batch_size", 16)
                .put("hidden_dim", 4)
                .put("num_timesteps", 8)
                .put("train_subset", 48)
                .put("lr", 1e-2);
        p.putArray("sample_epochs").add(1);
        return TrainParams.parse(p, 5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"denoiser", "time_conditioned", "class_conditioned"})
    void aShortRunReportsItsFiguresCheckpointsAndProgress(String arch, @TempDir Path dir) {
        FolderSink sink = new FolderSink(dir, false, () -> false, Map.of("type", "train", "seed", "5"));
        TrainParams params = shortRun(arch, 2);
        TrainingRun run = new TrainingRun(params, train, test, sink);
        try (UNetModel model = run.run()) {
            assertEquals(params.spec(), model.spec());
        }
        List<String> roles = sink.roles();
        assertTrue(roles.contains("loss curve"), roles.toString());
        if (arch.equals("denoiser")) {
            assertTrue(
                    roles.containsAll(List.of(
                            "noising sigma 0-1", "denoised epoch 1", "denoised epoch 2", "out-of-distribution sigma")),
                    roles.toString());
        } else {
            assertTrue(
                    roles.containsAll(List.of("forward process t 0-7", "samples epoch 1", "samples epoch 2")),
                    roles.toString());
            assertTrue(Files.exists(dir.resolve("sampling-epoch-2.gif")));
        }
        assertTrue(Files.exists(dir.resolve("checkpoint-epoch-1.sd")));
        assertTrue(Files.exists(dir.resolve("checkpoint-epoch-2.sd")));
        // the PNGs say what made them, as a job's outputs do
        Map<String, String> text = PngText.read(readBytes(dir.resolve("loss_curve.png")));
        assertEquals(
                Map.of("Software", "campanile", "type", "train", "seed", "5", "role", "loss curve"), Map.copyOf(text));
        assertEquals(6, run.losses().size()); // 48 images / 16 per batch * 2 epochs
        Progress last = sink.progressEvents().get(sink.progressEvents().size() - 1);
        assertEquals(6, last.step());
        assertEquals(6, last.total());
        assertEquals(2, last.epoch());
        assertTrue(last.loss() > 0 && last.imagesPerSecond() > 0 && last.etaSeconds() >= 0, last.toString());
    }

    @Test
    void anInterruptedRunResumesFromItsLastCheckpoint(@TempDir Path dir) {
        TrainParams params = shortRun("class_conditioned", 3);
        AtomicInteger steps = new AtomicInteger();
        // "crash" during the second epoch: after the epoch-1 checkpoint, before the epoch-2 one
        FolderSink crashing = new FolderSink(dir, false, () -> steps.incrementAndGet() > 5);
        assertThrows(JobCancelledException.class, () -> new TrainingRun(params, train, test, crashing).run());
        assertTrue(Files.exists(dir.resolve("checkpoint-epoch-1.sd")));
        assertTrue(!Files.exists(dir.resolve("checkpoint-epoch-2.sd")));

        FolderSink again = new FolderSink(dir, false, () -> false);
        TrainingRun resumed = new TrainingRun(params, train, test, again);
        resumed.run().close();
        assertEquals(4, again.progressEvents().get(0).step(), "the first step after resume is epoch 2's first");
        assertEquals(9, resumed.losses().size(), "losses of epoch 1 come back from the checkpoint");

        FolderSink straight = new FolderSink(dir.resolve("straight"), false, () -> false);
        TrainingRun uninterrupted = new TrainingRun(params, train, test, straight);
        uninterrupted.run().close();
        for (int i = 0; i < 9; i++) {
            assertEquals(
                    uninterrupted.losses().get(i),
                    resumed.losses().get(i),
                    1e-4 * uninterrupted.losses().get(i),
                    "loss of step " + i);
        }
    }

    @Test
    void cancellationStopsAtTheNextStep(@TempDir Path dir) {
        AtomicInteger checks = new AtomicInteger();
        FolderSink sink = new FolderSink(dir, false, () -> checks.incrementAndGet() > 2);
        TrainingRun run = new TrainingRun(shortRun("denoiser", 5), train, test, sink);
        assertThrows(JobCancelledException.class, run::run);
        assertEquals(2, run.losses().size());
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
