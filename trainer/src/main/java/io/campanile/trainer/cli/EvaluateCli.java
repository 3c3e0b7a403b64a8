package io.campanile.trainer.cli;

import io.campanile.contracts.jobs.Architecture;
import io.campanile.trainer.NativeBuild;
import io.campanile.trainer.inference.DigitClassifier;
import io.campanile.trainer.inference.OnnxEpsilon;
import io.campanile.trainer.inference.UNetModel;
import io.campanile.trainer.mnist.MnistDataset;
import io.campanile.trainer.mnist.MnistFiles;
import io.campanile.trainer.model.UNetSpec;
import io.campanile.trainer.service.DdpmSampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Scores class-conditioned samples with the project's own digit classifier: trains (or loads) the DL4J classifier,
 * reports its MNIST test accuracy, samples {@code per_digit} digits of each class from a checkpoint with CFG and
 * prints the per-digit accuracy of the samples. The samples come from a checkpoint ({@code checkpoint=},
 * {@code hidden_dim=}) or an exported pack ({@code pack=}), both run as the pack graph in ONNX Runtime.
 *
 * <pre>java -cp ... EvaluateCli checkpoint=target/train-class/checkpoint-epoch-3.sd
 *     hidden_dim=16 | pack=packs/mnist-class [per_digit=20] [guidance_scale=5] [num_timesteps=300] [classifier=target/classifier.zip]
 *     [classifier_epochs=1] [mnist_dir=../shared/data/mnist] [seed=0]</pre>
 */
public final class EvaluateCli {
    private EvaluateCli() {}

    public static void main(String[] args) throws Exception {
        NativeBuild.select(); // before ND4J loads
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            a.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        MnistFiles files = new MnistFiles(Path.of(a.getOrDefault("mnist_dir", "../shared/data/mnist")), null);
        Path clsFile = Path.of(a.getOrDefault("classifier", "target/classifier.zip"));
        long seed = Long.parseLong(a.getOrDefault("seed", "0"));
        DigitClassifier classifier;
        if (Files.exists(clsFile)) {
            classifier = DigitClassifier.load(clsFile);
        } else {
            long t0 = System.nanoTime();
            classifier = DigitClassifier.train(
                    files.train(), Integer.parseInt(a.getOrDefault("classifier_epochs", "1")), seed);
            System.out.printf(Locale.ROOT, "classifier trained in %.0f s%n", (System.nanoTime() - t0) / 1e9);
            classifier.save(clsFile);
        }
        MnistDataset test = files.test();
        System.out.printf(
                Locale.ROOT,
                "classifier MNIST test accuracy: %.4f (%d images)%n",
                classifier.accuracy(test),
                test.size());
        if (!a.containsKey("checkpoint") && !a.containsKey("pack")) {
            return;
        }
        int perDigit = Integer.parseInt(a.getOrDefault("per_digit", "20"));
        double cfg = Double.parseDouble(a.getOrDefault("guidance_scale", "5"));
        // a checkpoint of the trainer, or an exported pack (the graph the stage-1 worker serves)
        try (OnnxEpsilon model = a.containsKey("pack") ? OnnxEpsilon.open(Path.of(a.get("pack"))) : fromCheckpoint(a)) {
            int n = perDigit * 10;
            long t0 = System.nanoTime();
            float[] samples = new DdpmSampler(model, model.numTimesteps())
                    .sample(n, DdpmSampler.digitClasses(perDigit), cfg, seed, null);
            System.out.printf(
                    Locale.ROOT,
                    "sampled %d digits (%d steps, CFG %.1f) in %.0f s%n",
                    n,
                    model.numTimesteps(),
                    cfg,
                    (System.nanoTime() - t0) / 1e9);
            int[] pred = classifier.predict(samples, n);
            int total = 0;
            StringBuilder line = new StringBuilder("per-digit sample accuracy:");
            for (int d = 0; d < 10; d++) {
                int ok = 0;
                for (int j = 0; j < perDigit; j++) {
                    ok += pred[d * perDigit + j] == d ? 1 : 0;
                }
                total += ok;
                line.append(String.format(Locale.ROOT, " %d:%.2f", d, ok / (double) perDigit));
            }
            System.out.println(line);
            System.out.printf(Locale.ROOT, "overall sample accuracy: %.3f (%d/%d)%n", total / (double) n, total, n);
        }
    }

    private static OnnxEpsilon fromCheckpoint(Map<String, String> a) throws IOException {
        int steps = Integer.parseInt(a.getOrDefault("num_timesteps", "300"));
        UNetSpec spec = UNetSpec.of(Architecture.CLASS_CONDITIONED, Integer.parseInt(a.get("hidden_dim")));
        try (UNetModel model = UNetModel.fromCheckpoint(spec, Files.readAllBytes(Path.of(a.get("checkpoint"))))) {
            return OnnxEpsilon.of(model, steps);
        }
    }
}
