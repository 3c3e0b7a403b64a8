package io.campanile.trainer.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.trainer.NativeBuild;
import io.campanile.trainer.inference.PackExporter;
import io.campanile.trainer.inference.UNetModel;
import io.campanile.trainer.inference.WeightFormat;
import io.campanile.trainer.mnist.MnistDataset;
import io.campanile.trainer.mnist.MnistFiles;
import io.campanile.trainer.model.TrainParams;
import io.campanile.trainer.service.FolderSink;
import io.campanile.trainer.service.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a training job from the command line, writing its figures and checkpoints into a folder (and resuming from
 * the latest checkpoint found there), then, with {@code export=<folder>}, writing the model pack.
 *
 * <pre>
 * java -cp ... TrainCli architecture=class_conditioned epochs=20 hidden_dim=64 seed=0 \
 *     mnist_dir=../shared/data/mnist out=target/train-class [export=packs/mnist-class pack_id=mnist-class
 *     export_weights=fp16|int8]
 * </pre>
 * Every other key is a {@code train} job field ({@code batch_size}, {@code lr}, {@code sigma}, {@code num_timesteps},
 * {@code p_uncond}, {@code train_subset}, {@code guidance_scale}, {@code sample_epochs=5,20}, {@code precision=bf16}).
 */
public final class TrainCli {
    private TrainCli() {}

    public static void main(String[] args) throws Exception {
        NativeBuild.select(); // before ND4J loads
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("arguments are key=value, got " + arg);
            }
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Path mnist = Path.of(a.getOrDefault("mnist_dir", "../shared/data/mnist"));
        Path out = Path.of(a.getOrDefault("out", "target/train-out"));
        long seed = Long.parseLong(a.getOrDefault("seed", "0"));
        String export = a.get("export");
        String packId = a.getOrDefault("pack_id", "mnist-class");
        WeightFormat weights = WeightFormat.parse(a.getOrDefault("export_weights", "fp32"));
        for (String k : new String[] {"mnist_dir", "out", "seed", "export", "pack_id", "export_weights"}) {
            a.remove(k);
        }
        ObjectNode fields = toJson(a);
        TrainParams params = TrainParams.parse(fields, seed);
        MnistFiles files = new MnistFiles(mnist, null);
        MnistDataset train = files.train();
        MnistDataset test = files.test();
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        TrainingRun run =
                new TrainingRun(params, train, test, new FolderSink(out, true, () -> false, generation(seed, fields)));
        try (UNetModel model = run.run()) {
            System.out.printf(
                    "trained %s in %.0f s, final loss %.5f; outputs in %s%n",
                    params.architecture().wireName(),
                    (System.nanoTime() - t0) / 1e9,
                    run.losses().get(run.losses().size() - 1),
                    out);
            if (export != null) {
                PackExporter.export(model, params, packId, Path.of(export), weights);
                System.out.println("model pack written to " + export);
            }
        }
    }

    private static ObjectNode toJson(Map<String, String> a) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        a.forEach((k, v) -> {
            if (k.equals("architecture") || k.equals("precision")) {
                n.put(k, v);
            } else if (k.equals("sample_epochs")) {
                var arr = n.putArray(k);
                for (String e : v.split(",")) {
                    arr.add(Integer.parseInt(e.trim()));
                }
            } else if (v.matches("-?\\d+")) {
                n.put(k, Long.parseLong(v));
            } else {
                n.put(k, Double.parseDouble(v));
            }
        });
        return n;
    }

    /** The text chunks of the run's PNGs (besides Software and role), in this order. */
    private static Map<String, String> generation(long seed, ObjectNode fields) {
        Map<String, String> text = new LinkedHashMap<>();
        text.put("type", "train");
        text.put("seed", Long.toString(seed));
        text.put("params", fields.toString());
        return text;
    }
}
