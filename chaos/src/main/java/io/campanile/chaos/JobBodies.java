package io.campanile.chaos;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.contracts.Json;
import io.campanile.testpacks.TestPacks;

/**
 * The jobs the scenarios submit, on the generated test packs so that they run on any machine. Their lengths are
 * picked for the faults: a fault must land while jobs run, and a campaign must still fit in minutes on two cores.
 */
final class JobBodies {
    /** The pack whose jobs halt the stage-1 JVM that starts them (see {@link PoisonPack}). */
    static final String POISON_PACK = "chaos-poison";

    private JobBodies() {}

    /** A 5-step sample of one image on {@code test-if-stage1}: well under a second of work. */
    static String tiny(long seed) {
        return sample(TestPacks.STAGE1, seed, 1, steps(5)).toString();
    }

    /**
     * A 34-step sample of two images on {@code bench-if-stage1} (1.29 GFLOP per image per step): one to two seconds
     * here, so that a kill at a random moment often lands inside a job.
     */
    static String medium(long seed) {
        return sample(TestPacks.BENCH, seed, 2, steps(34)).toString();
    }

    /** A sample on {@code bench-if-stage1} with the given steps and images (200 x 16 runs about 70 s here). */
    static String longSample(long seed, int steps, int images) {
        return sample(TestPacks.BENCH, seed, images, steps(steps)).toString();
    }

    /** The poison job: a tiny sample on {@value #POISON_PACK}, which halts the worker that starts it. */
    static String poison(long seed) {
        return sample(POISON_PACK, seed, 1, steps(5)).toString();
    }

    /**
     * A short DDPM training run (trainer/README.md): {@code epochs} epochs over {@code images} MNIST digits with a
     * small UNet and 50 timesteps, figures only after the last epoch, so the time goes into the epochs.
     */
    static String train(long seed, int epochs, int images) {
        ObjectNode body = Json.mapper()
                .createObjectNode()
                .put("type", "train")
                .put("architecture", "time_conditioned")
                .put("epochs", epochs)
                .put("batch_size", 64)
                .put("hidden_dim", 8)
                .put("train_subset", images)
                .put("num_timesteps", 50)
                .put("seed", seed);
        body.putArray("sample_epochs").add(epochs);
        return body.toString();
    }

    private static ObjectNode sample(String model, long seed, int images, ArrayNode timesteps) {
        ObjectNode body = Json.mapper()
                .createObjectNode()
                .put("type", "sample")
                .put("model", model)
                .put("prompt", "a photo of a bell tower")
                .put("guidance_scale", 7.0)
                .put("num_images", images)
                .put("seed", seed);
        body.set("timesteps", timesteps);
        return body;
    }

    /** {@code n} strictly decreasing timesteps from 999 to 0 (T = 1000 for the IF-shaped packs). */
    static ArrayNode steps(int n) {
        ArrayNode t = Json.mapper().createArrayNode();
        for (int k = 0; k < n; k++) {
            t.add(Math.round(999.0 * (n - 1 - k) / (n - 1)));
        }
        return t;
    }
}
