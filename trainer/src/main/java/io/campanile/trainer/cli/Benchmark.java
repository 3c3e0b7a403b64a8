package io.campanile.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.campanile.contracts.jobs.Architecture;
import io.campanile.trainer.NativeBuild;
import io.campanile.trainer.inference.OnnxEpsilon;
import io.campanile.trainer.inference.UNetModel;
import io.campanile.trainer.model.Batch;
import io.campanile.trainer.model.UNetSpec;
import io.campanile.trainer.service.DdpmSampler;
import io.campanile.trainer.step.ChannelOps;
import io.campanile.trainer.step.StepTimer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Speed of the class-conditioned UNet: training images/s and achieved GFLOP/s (forward FLOPs from IF-FACTS,
 * 2 (65170 D^2 + 14112 D) per image; a training step counted as 3 forwards), and the time to sample 40 digits with
 * T DDPM steps and classifier-free guidance (80 rows per step: conditional and unconditional) on the exported pack
 * graph in ONNX Runtime, with guidance's two rows sharing the encoder and, for comparison, without. Side by side
 * with two references run in the same command: SameDiff's own autodiff training of the same graph (in process), and
 * the same model in PyTorch ({@code trainer/bench/torch_reference.py}) when a Python with torch is found
 * ({@code python=} argument, else {@code $CAMPANILE_TORCH_PYTHON}, else {@code python3}).
 *
 * <pre>trainer/bin/run Benchmark [hidden_dim=64] [batch_size=128] [steps=10] [num_timesteps=300] [sample=true]
 *     [autodiff_steps=3] [python=...] [torch=true]</pre>
 */
public final class Benchmark {
    /** The issue's orientation figure: PyTorch on CPU, 2 cores, this model (when torch cannot run here). */
    static final double ISSUE_TORCH_IMAGES_PER_S = 79;

    private Benchmark() {}

    public static void main(String[] args) throws Exception {
        NativeBuild.select(); // before ND4J loads
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            a.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        int d = Integer.parseInt(a.getOrDefault("hidden_dim", "64"));
        int batch = Integer.parseInt(a.getOrDefault("batch_size", "128"));
        int steps = Integer.parseInt(a.getOrDefault("steps", "10"));
        int timesteps = Integer.parseInt(a.getOrDefault("num_timesteps", "300"));
        int autodiffSteps = Integer.parseInt(a.getOrDefault("autodiff_steps", "3"));
        boolean sample = Boolean.parseBoolean(a.getOrDefault("sample", "true"));
        UNetSpec spec = UNetSpec.of(Architecture.CLASS_CONDITIONED, d);
        double flops = spec.forwardFlopsPerImage();
        System.out.printf(
                Locale.ROOT,
                "class-conditioned UNet D=%d batch=%d, %.3f GFLOP forward per image; "
                        + "OMP_WAIT_POLICY=%s, %d cores, kernels: %s%n",
                d,
                batch,
                flops / 1e9,
                System.getenv("OMP_WAIT_POLICY"),
                Runtime.getRuntime().availableProcessors(),
                ChannelOps.BEST.name());
        Batch b = Batch.random(batch, spec.numClasses(), 0, 1);
        double ips;
        double sampleSecs = Double.NaN;
        double unsharedSecs = Double.NaN;
        try (UNetModel model = UNetModel.create(spec, 1, 1e-3, 1)) {
            for (int i = 0; i < 2; i++) {
                model.fit(b); // warm-up: oneDNN primitives, JIT of the kernels
            }
            double[] before = model.phaseSeconds();
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                model.fit(b);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            ips = steps * (double) batch / secs;
            double[] phases = model.phaseSeconds();
            StringBuilder where = new StringBuilder("  time per step:");
            for (StepTimer.Phase p : StepTimer.Phase.values()) {
                where.append(String.format(
                        Locale.ROOT,
                        " %s %.0f ms",
                        p.name().toLowerCase(Locale.ROOT),
                        1000 * (phases[p.ordinal()] - before[p.ordinal()]) / steps));
            }
            System.out.printf(
                    Locale.ROOT,
                    "training: %d steps of %d in %.1f s = %.1f images/s, %.1f GFLOP/s%n",
                    steps,
                    batch,
                    secs,
                    ips,
                    ips * 3 * flops / 1e9);
            System.out.println(where);
            if (sample) {
                float[] classes = DdpmSampler.digitClasses(4);
                // the pack graph in ONNX Runtime (as stage 1 serves it), guidance sharing the encoder; then the same
                // graph with the two rows of guidance sent as two samples (the encoder run twice), for comparison
                try (OnnxEpsilon shared = OnnxEpsilon.of(model, timesteps, true)) {
                    sampleSecs = sampleSeconds(shared, timesteps, classes);
                }
                try (OnnxEpsilon unshared = OnnxEpsilon.of(model, timesteps, false)) {
                    unsharedSecs = sampleSeconds(unshared, timesteps, classes);
                }
                System.out.printf(
                        Locale.ROOT,
                        "sampling: 40 digits, %d steps, CFG 5 (80 rows per step): %.1f s with the encoder shared by "
                                + "guidance's two rows, %.1f s without (%.1f GFLOP/s counted as 80 full rows)%n",
                        timesteps,
                        sampleSecs,
                        unsharedSecs,
                        80.0 * timesteps * flops / 1e9 / sampleSecs);
            }
        }
        double autodiffIps = Double.NaN;
        if (autodiffSteps > 0) {
            try (UNetModel model = UNetModel.create(spec, 1, 1e-3, 1)) {
                model.autodiffFit(b);
                long t0 = System.nanoTime();
                for (int i = 0; i < autodiffSteps; i++) {
                    model.autodiffFit(b);
                }
                autodiffIps = autodiffSteps * (double) batch / ((System.nanoTime() - t0) / 1e9);
            }
        }
        JsonNode torch = Boolean.parseBoolean(a.getOrDefault("torch", "true"))
                ? torchReference(a.get("python"), d, batch, steps, sample ? timesteps : 0)
                : null;

        System.out.println();
        System.out.println("side by side (same machine, same command):");
        System.out.printf(Locale.ROOT, "  %-44s %10s %12s%n", "", "value", "this/that");
        System.out.printf(Locale.ROOT, "  %-44s %10.1f%n", "training images/s, campanile (TrainStep)", ips);
        if (!Double.isNaN(autodiffIps)) {
            System.out.printf(
                    Locale.ROOT,
                    "  %-44s %10.1f %11.2fx%n",
                    "training images/s, SameDiff autodiff (same graph)",
                    autodiffIps,
                    ips / autodiffIps);
        }
        if (torch != null) {
            double tips = torch.get("train_images_per_s").asDouble();
            System.out.printf(
                    Locale.ROOT,
                    "  %-44s %10.1f %11.2fx%n",
                    "training images/s, PyTorch " + torch.get("torch").asText(),
                    tips,
                    ips / tips);
            if (torch.has("sample_seconds") && !Double.isNaN(sampleSecs)) {
                double ts = torch.get("sample_seconds").asDouble();
                System.out.printf(Locale.ROOT, "  %-44s %10.1f%n", "sampling seconds, PyTorch", ts);
                System.out.printf(
                        Locale.ROOT,
                        "  %-44s %10.1f %11.2fx%n",
                        "sampling seconds, campanile (encoder shared)",
                        sampleSecs,
                        ts / sampleSecs);
                System.out.printf(
                        Locale.ROOT,
                        "  %-44s %10.1f %11.2fx%n",
                        "sampling seconds, campanile (not shared)",
                        unsharedSecs,
                        ts / unsharedSecs);
            }
        } else {
            System.out.printf(
                    Locale.ROOT,
                    "  %-44s %10.1f %11.2fx%n",
                    "training images/s, PyTorch (issue's figure)",
                    ISSUE_TORCH_IMAGES_PER_S,
                    ips / ISSUE_TORCH_IMAGES_PER_S);
            System.out.println("  (no Python with torch found: pass python=/path/to/python with torch installed for a"
                    + " PyTorch run on this machine)");
        }
    }

    private static double sampleSeconds(OnnxEpsilon model, int timesteps, float[] classes) {
        float[] x = new float[40 * 28 * 28];
        for (int i = 0; i < 3; i++) {
            model.guided(x, 0.5f, classes, 40, 5f); // warm-up
        }
        long s0 = System.nanoTime();
        new DdpmSampler(model, timesteps).sample(40, classes, 5.0, 1, null);
        return (System.nanoTime() - s0) / 1e9;
    }

    /** Runs the PyTorch reference; null (with the reason printed) when no Python with torch is found. */
    static JsonNode torchReference(String python, int d, int batch, int steps, int sampleSteps)
            throws IOException, InterruptedException {
        List<String> candidates = new ArrayList<>();
        if (python != null) {
            candidates.add(python);
        } else {
            String env = System.getenv("CAMPANILE_TORCH_PYTHON");
            if (env != null && !env.isBlank()) {
                candidates.add(env);
            }
            candidates.add("python3");
        }
        Path script = Path.of("trainer/bench/torch_reference.py");
        if (!Files.isRegularFile(script)) {
            System.out.println("PyTorch reference: " + script + " not found (run from the repository root)");
            return null;
        }
        for (String py : candidates) {
            if (!hasTorch(py)) {
                continue;
            }
            System.out.println("PyTorch reference (" + py + ") running ...");
            ProcessBuilder pb = new ProcessBuilder(
                            py,
                            script.toString(),
                            "--hidden-dim",
                            String.valueOf(d),
                            "--batch-size",
                            String.valueOf(batch),
                            "--steps",
                            String.valueOf(steps),
                            "--sample-steps",
                            String.valueOf(sampleSteps),
                            "--threads",
                            String.valueOf(Runtime.getRuntime().availableProcessors()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().remove("OMP_WAIT_POLICY"); // set for ND4J; PyTorch runs with its own defaults
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0 || out.isEmpty()) {
                System.out.println("PyTorch reference failed (exit " + p.exitValue() + ")");
                return null;
            }
            String last = out.substring(out.lastIndexOf('\n') + 1);
            System.out.println("PyTorch reference: " + last);
            return new ObjectMapper().readTree(last);
        }
        return null;
    }

    private static boolean hasTorch(String python) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
