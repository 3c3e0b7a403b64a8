package io.campanile.trainer.cli;

import io.campanile.contracts.jobs.Architecture;
import io.campanile.contracts.jobs.Precision;
import io.campanile.trainer.NativeBuild;
import io.campanile.trainer.inference.OnnxEpsilon;
import io.campanile.trainer.inference.UNetModel;
import io.campanile.trainer.model.Batch;
import io.campanile.trainer.model.UNetSpec;
import io.campanile.trainer.service.DdpmSampler;
import io.campanile.trainer.step.ChannelOps;
import io.campanile.trainer.step.StepTimer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Speed of the class-conditioned UNet against PyTorch on the same CPU, side by side in one command: training
 * images/s (Adam, MSE, batch 128) in {@code rounds} alternating rounds, campanile then PyTorch
 * ({@code trainer/bench/torch_reference.py}), so that a machine whose speed drifts moves both; then sampling 40 digits
 * with T DDPM steps and classifier-free guidance (80 rows per step) on the exported pack graph in ONNX Runtime, with
 * guidance's two rows sharing the encoder and without, against PyTorch's sampling. Each round trains in fp32 and,
 * where the CPU has bfloat16 instructions, in bf16 mixed precision (docs/adr/0028), both against PyTorch's fp32. It
 * prints each round's ratios and their medians, achieved GFLOP/s (forward FLOPs from IF-FACTS, 2 (65170 D^2 + 14112 D) per image; a training step
 * counted as 3 forwards) against the machine's fp32 and bf16 matrix-product peaks measured here, and the time per
 * step by phase.
 *
 * <pre>trainer/bin/run Benchmark [hidden_dim=64] [batch_size=128] [steps=10] [rounds=3] [num_timesteps=300]
 *     [sample=true] [autodiff_steps=0] [python=...] [torch=true]</pre>
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
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "3"));
        int timesteps = Integer.parseInt(a.getOrDefault("num_timesteps", "300"));
        int autodiffSteps = Integer.parseInt(a.getOrDefault("autodiff_steps", "0"));
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
        Peaks peaks = Peaks.measure();
        System.out.println(peaks.describe());
        Optional<TorchReference> torch = Boolean.parseBoolean(a.getOrDefault("torch", "true"))
                ? TorchReference.find(a.get("python"), d, batch)
                : Optional.empty();
        torch.ifPresent(t -> System.out.println("PyTorch reference: " + t.describe()));

        Batch b = Batch.random(batch, spec.numClasses(), 0, 1);
        boolean bf16 = !Double.isNaN(peaks.bf16Conv());
        List<double[]> training = new ArrayList<>(); // {campanile fp32, torch, campanile bf16} images/s per round
        double sampleSecs = Double.NaN;
        double unsharedSecs = Double.NaN;
        double torchSampleSecs = Double.NaN;
        try (UNetModel model = UNetModel.create(spec, 1, 1e-3, 1)) {
            for (Precision p : bf16 ? List.of(Precision.BF16, Precision.FP32) : List.of(Precision.FP32)) {
                model.precision(p);
                for (int i = 0; i < 2; i++) {
                    model.fit(b); // warm-up: oneDNN primitives, JIT of the kernels
                }
            }
            for (int r = 1; r <= rounds; r++) {
                String[] where = new String[2];
                double ips = train(model, Precision.FP32, b, steps, where, 0);
                double bips = bf16 ? train(model, Precision.BF16, b, steps, where, 1) : Double.NaN;
                double tips = torch.isPresent()
                        ? torch.get().run(steps, 0).get("train_images_per_s").asDouble()
                        : Double.NaN;
                training.add(new double[] {ips, tips, bips});
                System.out.printf(
                        Locale.ROOT,
                        "training round %d: campanile fp32 %.1f images/s (%.1f GFLOP/s), bf16 %.1f images/s, "
                                + "PyTorch fp32 %.1f images/s: fp32 %.2fx, bf16 %.2fx%n",
                        r,
                        ips,
                        ips * 3 * flops / 1e9,
                        bips,
                        tips,
                        ips / tips,
                        bips / tips);
                if (r == rounds) {
                    System.out.println("  fp32" + where[0]);
                    if (bf16) {
                        System.out.println("  bf16" + where[1]);
                    }
                }
            }
            model.precision(Precision.FP32);
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
                if (torch.isPresent()) {
                    torchSampleSecs =
                            torch.get().run(1, timesteps).get("sample_seconds").asDouble();
                }
                System.out.printf(
                        Locale.ROOT,
                        "sampling: 40 digits, %d steps, CFG 5 (80 rows per step): %.1f s with the encoder shared by "
                                + "guidance's two rows, %.1f s without, PyTorch %.1f s%n",
                        timesteps,
                        sampleSecs,
                        unsharedSecs,
                        torchSampleSecs);
            }
            if (autodiffSteps > 0) {
                System.out.printf(
                        Locale.ROOT,
                        "SameDiff autodiff fit of the same graph: %.1f images/s%n",
                        autodiff(spec, b, autodiffSteps));
            }
        }
        summary(training, flops, peaks, sampleSecs, unsharedSecs, torchSampleSecs, torch.isPresent());
    }

    private static void summary(
            List<double[]> training,
            double flops,
            Peaks peaks,
            double sampleSecs,
            double unsharedSecs,
            double torchSampleSecs,
            boolean torch) {
        double ips = median(training.stream().mapToDouble(r -> r[0]).toArray());
        System.out.println();
        System.out.println("side by side (same machine, same command; training: medians of the rounds):");
        System.out.printf(Locale.ROOT, "  %-52s %10s %12s%n", "", "value", "campanile/that");
        double gflops = ips * 3 * flops / 1e9;
        System.out.printf(
                Locale.ROOT,
                "  %-52s %10.1f   (%.0f GFLOP/s, %.0f%% of the fp32 peak)%n",
                "training images/s, campanile (fp32)",
                ips,
                gflops,
                100 * gflops / peaks.fp32());
        if (torch) {
            double tips = median(training.stream().mapToDouble(r -> r[1]).toArray());
            double ratio =
                    median(training.stream().mapToDouble(r -> r[0] / r[1]).toArray());
            System.out.printf(
                    Locale.ROOT,
                    "  %-52s %10.1f %11.2fx   (median of the rounds' ratios; target 1.3x)%n",
                    "training images/s, PyTorch (fp32)",
                    tips,
                    ratio);
            if (!Double.isNaN(sampleSecs)) {
                System.out.printf(Locale.ROOT, "  %-52s %10.1f%n", "sampling seconds, PyTorch", torchSampleSecs);
                System.out.printf(
                        Locale.ROOT,
                        "  %-52s %10.1f %11.2fx   (target 1.5x)%n",
                        "sampling seconds, campanile (encoder shared)",
                        sampleSecs,
                        torchSampleSecs / sampleSecs);
                System.out.printf(
                        Locale.ROOT,
                        "  %-52s %10.1f %11.2fx%n",
                        "sampling seconds, campanile (not shared)",
                        unsharedSecs,
                        torchSampleSecs / unsharedSecs);
            }
        } else {
            System.out.printf(
                    Locale.ROOT,
                    "  %-52s %10.1f %11.2fx%n",
                    "training images/s, PyTorch (issue's figure)",
                    ISSUE_TORCH_IMAGES_PER_S,
                    ips / ISSUE_TORCH_IMAGES_PER_S);
        }
        if (training.isEmpty() || Double.isNaN(training.get(0)[2])) {
            System.out.println("  bf16 training: not run, this CPU has no bfloat16 instructions");
            return;
        }
        double bips = median(training.stream().mapToDouble(r -> r[2]).toArray());
        double bgflops = bips * 3 * flops / 1e9;
        System.out.printf(
                Locale.ROOT,
                "  %-52s %10.1f %11.2fx   (against PyTorch fp32, median of the rounds' ratios; target 1.3x; "
                        + "%.0f GFLOP/s, %.0f%% of the bf16 peak)%n",
                "training images/s, campanile (bf16 mixed precision)",
                bips,
                torch
                        ? median(training.stream().mapToDouble(r -> r[2] / r[1]).toArray())
                        : bips / ISSUE_TORCH_IMAGES_PER_S,
                bgflops,
                100 * bgflops / peaks.bf16());
    }

    /** Images/s of {@code steps} training steps in precision p; their time per phase into where[slot]. */
    private static double train(UNetModel model, Precision p, Batch b, int steps, String[] where, int slot) {
        model.precision(p);
        double[] before = model.phaseSeconds();
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            model.fit(b);
        }
        double ips = steps * (double) b.n() / ((System.nanoTime() - t0) / 1e9);
        where[slot] = phases(model.phaseSeconds(), before, steps);
        return ips;
    }

    private static String phases(double[] after, double[] before, int steps) {
        StringBuilder where = new StringBuilder(" time per step:");
        for (StepTimer.Phase p : StepTimer.Phase.values()) {
            where.append(String.format(
                    Locale.ROOT,
                    " %s %.0f ms",
                    p.name().toLowerCase(Locale.ROOT),
                    1000 * (after[p.ordinal()] - before[p.ordinal()]) / steps));
        }
        return where.toString();
    }

    private static double autodiff(UNetSpec spec, Batch b, int steps) {
        try (UNetModel model = UNetModel.create(spec, 1, 1e-3, 1)) {
            model.autodiffFit(b);
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                model.autodiffFit(b);
            }
            return steps * (double) b.n() / ((System.nanoTime() - t0) / 1e9);
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

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
