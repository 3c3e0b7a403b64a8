package io.campanile.trainer.cli;

import io.campanile.trainer.inference.UNetModel;
import io.campanile.trainer.model.Architecture;
import io.campanile.trainer.model.Batch;
import io.campanile.trainer.model.UNetSpec;
import io.campanile.trainer.service.DdpmSampler;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Speed of the class-conditioned UNet: training images/s and achieved GFLOP/s (forward FLOPs from IF-FACTS,
 * 2 (65170 D^2 + 14112 D) per image; a training step counted as 3 forwards), and the time to sample 40 digits with
 * T DDPM steps and classifier-free guidance (one batch of 80 per step: conditional and unconditional).
 *
 * <pre>java -cp ... io.campanile.trainer.cli.Benchmark [hidden_dim=64] [batch_size=128] [steps=10] [num_timesteps=300]
 *     [sample=true]</pre>
 */
public final class Benchmark {
    private Benchmark() {
    }

    public static void main(String[] args) {
        java.util.Map<String, String> a = new java.util.HashMap<>();
        for (String arg : args) {
            a.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        int d = Integer.parseInt(a.getOrDefault("hidden_dim", "64"));
        int batch = Integer.parseInt(a.getOrDefault("batch_size", "128"));
        int steps = Integer.parseInt(a.getOrDefault("steps", "10"));
        int timesteps = Integer.parseInt(a.getOrDefault("num_timesteps", "300"));
        boolean sample = Boolean.parseBoolean(a.getOrDefault("sample", "true"));
        UNetSpec spec = UNetSpec.of(Architecture.CLASS_CONDITIONED, d);
        System.out.printf(Locale.ROOT, "class-conditioned UNet D=%d batch=%d, %.3f GFLOP forward per image; "
                + "OMP_WAIT_POLICY=%s, %d cores%n", d, batch, spec.forwardFlopsPerImage() / 1e9,
                System.getenv("OMP_WAIT_POLICY"), Runtime.getRuntime().availableProcessors());
        try (UNetModel model = UNetModel.create(spec, 1, 1e-3, 1)) {
            SplittableRandom r = new SplittableRandom(1);
            Batch b = batch(batch, r);
            for (int i = 0; i < 2; i++) {
                model.fit(b); // warm-up: graph preparation, oneDNN primitives
            }
            if (Boolean.parseBoolean(a.getOrDefault("profile", "false"))) {
                model.profileStep(b).stream().limit(25).forEach(System.out::println);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                model.fit(b);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double ips = steps * (double) batch / secs;
            System.out.printf(Locale.ROOT, "training: %d steps of %d in %.1f s = %.1f images/s, %.1f GFLOP/s%n",
                    steps, batch, secs, ips, ips * 3 * spec.forwardFlopsPerImage() / 1e9);
            if (sample) {
                float[] classes = DdpmSampler.digitClasses(4);
                long s0 = System.nanoTime();
                new DdpmSampler(model::predict, timesteps).sample(40, classes, 5.0, 1, null);
                double ss = (System.nanoTime() - s0) / 1e9;
                System.out.printf(Locale.ROOT, "sampling: 40 digits, %d steps, CFG 5 (batch 80 per step) in %.1f s "
                        + "= %.1f GFLOP/s%n", timesteps, ss, 80.0 * timesteps * spec.forwardFlopsPerImage() / 1e9 / ss);
            }
        }
    }

    private static Batch batch(int n, SplittableRandom r) {
        float[] x = new float[n * 784];
        float[] target = new float[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
            target[i] = (float) r.nextGaussian();
        }
        float[] t = new float[n];
        float[] c = new float[n * 10];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(300) / 300f;
            c[i * 10 + r.nextInt(10)] = 1;
        }
        return new Batch(x, t, c, target, n);
    }
}
