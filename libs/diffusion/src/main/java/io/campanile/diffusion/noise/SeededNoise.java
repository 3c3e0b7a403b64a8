package io.campanile.diffusion.noise;

import io.campanile.diffusion.tensor.Tensor;
import java.nio.charset.StandardCharsets;

/**
 * Reproducible standard normal noise, keyed by job seed, stream name and sample index.
 *
 * <p>Each sample's noise depends only on {@code (jobSeed, stream, sampleIndex)}, never on the batch it is drawn in, so
 * any image of a job can be replayed alone. The algorithm is fixed and uses only integer arithmetic and
 * {@link StrictMath}, so it gives the same bits on every JVM (and can be reimplemented elsewhere):
 *
 * <ol>
 *   <li>{@code key = FNV-1a-64(UTF-8 bytes of stream)};
 *   <li>{@code seed = mix(mix(mix(jobSeed) ^ key) + GOLDEN * (sampleIndex + 1))}, where {@code mix} is
 *       SplitMix64's output function (Stafford's variant 13 of the MurmurHash3 finalizer) and
 *       {@code GOLDEN = 0x9E3779B97F4A7C15};
 *   <li>a SplitMix64 generator (Steele, Lea &amp; Flood 2014) started at {@code seed} yields 53-bit uniform doubles
 *       {@code (next() >>> 11) * 2^-53}, where {@code next()} is {@code state += GOLDEN; return mix(state)};
 *   <li>consecutive pairs {@code (u1, u2)} become two normals by Box–Muller (Box &amp; Muller 1958):
 *       {@code r = sqrt(-2 ln(1 - u1))}, {@code z0 = r cos(2 pi u2)}, {@code z1 = r sin(2 pi u2)}, written in order
 *       (for an odd element count the last {@code z1} is dropped).
 * </ol>
 */
public final class SeededNoise {

    /** The stream used by {@link #gaussian(long, int, int...)}. */
    public static final String DEFAULT_STREAM = "";

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final double TWO_PI = 2 * Math.PI;

    private SeededNoise() {}

    /**
     * Standard normal noise of the given shape for one sample, from the default stream.
     *
     * @param jobSeed the job's seed
     * @param sampleIndex the sample's index within the job, {@code >= 0}
     * @param shape the shape of one sample's noise, e.g. {@code 3, 64, 64}
     */
    public static Tensor gaussian(long jobSeed, int sampleIndex, int... shape) {
        return gaussian(jobSeed, DEFAULT_STREAM, sampleIndex, shape);
    }

    /**
     * Standard normal noise of the given shape for one sample, from a named stream. Different streams of one job (e.g.
     * {@code "forward/t=250"} and {@code "forward/t=500"}) are independent.
     *
     * @param jobSeed the job's seed
     * @param stream the stream name; any string
     * @param sampleIndex the sample's index within the job, {@code >= 0}
     * @param shape the shape of one sample's noise
     */
    public static Tensor gaussian(long jobSeed, String stream, int sampleIndex, int... shape) {
        if (stream == null) {
            throw new IllegalArgumentException("stream must not be null");
        }
        if (sampleIndex < 0) {
            throw new IllegalArgumentException("sample_index: must be >= 0, got " + sampleIndex);
        }
        Tensor out = Tensor.zeros(shape);
        fill(out.data(), sampleSeed(jobSeed, stream, sampleIndex));
        return out;
    }

    /** Step 2 of the class recipe: the SplitMix64 start state of one sample's stream. */
    static long sampleSeed(long jobSeed, String stream, int sampleIndex) {
        long h = mix(mix(jobSeed) ^ fnv1a64(stream));
        return mix(h + GOLDEN * (sampleIndex + 1L));
    }

    /** Steps 3 and 4 of the class recipe. */
    private static void fill(float[] out, long seed) {
        long state = seed;
        double[] cosSin = new double[2];
        for (int i = 0; i < out.length; i += 2) {
            state += GOLDEN;
            double u1 = unit(mix(state));
            state += GOLDEN;
            double u2 = unit(mix(state));
            // Box–Muller: 1 - u1 lies in (0, 1], so the log is finite. FdlibmKernels gives StrictMath's bits without a
            // native call per value.
            double r = StrictMath.sqrt(-2.0 * FdlibmKernels.log(1.0 - u1));
            FdlibmKernels.cosSin(TWO_PI * u2, cosSin);
            out[i] = (float) (r * cosSin[0]);
            if (i + 1 < out.length) {
                out[i + 1] = (float) (r * cosSin[1]);
            }
        }
    }

    /** A uniform double in [0, 1) from the top 53 bits. */
    private static double unit(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }

    /**
     * SplitMix64's output function: Stafford's "variant 13" of the MurmurHash3 64-bit finalizer, the same constants
     * as {@code SplittableRandom.mix64}.
     */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** 64-bit FNV-1a over the UTF-8 bytes of {@code s}. */
    static long fnv1a64(String s) {
        long h = FNV_OFFSET;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return h;
    }
}
