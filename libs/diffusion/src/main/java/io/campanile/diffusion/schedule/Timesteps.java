package io.campanile.diffusion.schedule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Timestep lists for sampling loops: strided lists (the CS180 notebook), diffusers' DeepFloyd IF lists, and
 * explicit lists from a job. Every list is strictly decreasing; a loop steps from {@code ts[i]} to {@code ts[i + 1]}
 * and from the last entry to {@code -1} (see {@link DdpmScheduler#step}). Methods return fresh arrays.
 */
public final class Timesteps {

    /*
     * The custom lists of diffusers' src/diffusers/pipelines/deepfloyd_if/timesteps.py (fast27_timesteps, ...),
     * copied number for number.
     */
    private static final int[] FAST27 = {
        999, 800, 799, 600, 599, 500, 400, 399, 377, 355, 333, 311, 288, 266, 244, 222, 200, 199, 177, 155, 133, 111,
        88, 66, 44, 22, 0
    };

    private static final int[] SMART27 = {
        999, 976, 952, 928, 905, 882, 858, 857, 810, 762, 715, 714, 572, 429, 428, 286, 285, 238, 190, 143, 142, 118,
        95, 71, 47, 24, 0
    };

    private static final int[] SMART50 = {
        999, 988, 977, 966, 955, 944, 933, 922, 911, 900, 899, 879, 859, 840, 820, 800, 799, 766, 733, 700, 699,
        650, 600, 599, 500, 499, 400, 399, 350, 300, 299, 266, 233, 200, 199, 179, 159, 140, 120, 100, 99, 88,
        77, 66, 55, 44, 33, 22, 11, 0
    };

    private static final int[] SMART100 = {
        999, 995, 992, 989, 985, 981, 978, 975, 971, 967, 964, 961, 957, 956, 951, 947, 942, 937, 933, 928, 923,
        919, 914, 913, 908, 903, 897, 892, 887, 881, 876, 871, 870, 864, 858, 852, 846, 840, 834, 828, 827, 820,
        813, 806, 799, 792, 785, 784, 777, 770, 763, 756, 749, 742, 741, 733, 724, 716, 707, 699, 698, 688, 677,
        666, 656, 655, 645, 634, 623, 613, 612, 598, 584, 570, 569, 555, 541, 527, 526, 505, 484, 483, 462, 440,
        439, 396, 395, 352, 351, 308, 307, 264, 263, 220, 219, 176, 132, 88, 44, 0
    };

    private static final int[] SMART185 = {
        999, 997, 995, 992, 990, 988, 986, 984, 981, 979, 977, 975, 972, 970, 968, 966, 964, 961, 959, 957, 956,
        954, 951, 949, 946, 944, 941, 939, 936, 934, 931, 929, 926, 924, 921, 919, 916, 914, 913, 910, 907, 905,
        902, 899, 896, 893, 891, 888, 885, 882, 879, 877, 874, 871, 870, 867, 864, 861, 858, 855, 852, 849, 846,
        843, 840, 837, 834, 831, 828, 827, 824, 821, 817, 814, 811, 808, 804, 801, 798, 795, 791, 788, 785, 784,
        780, 777, 774, 770, 766, 763, 760, 756, 752, 749, 746, 742, 741, 737, 733, 730, 726, 722, 718, 714, 710,
        707, 703, 699, 698, 694, 690, 685, 681, 677, 673, 669, 664, 660, 656, 655, 650, 646, 641, 636, 632, 627,
        622, 618, 613, 612, 607, 602, 596, 591, 586, 580, 575, 570, 569, 563, 557, 551, 545, 539, 533, 527, 526,
        519, 512, 505, 498, 491, 484, 483, 474, 466, 457, 449, 440, 439, 428, 418, 407, 396, 395, 381, 366, 352,
        351, 330, 308, 307, 286, 264, 263, 242, 220, 219, 176, 175, 132, 131, 88, 44, 0
    };

    private static final int[] SUPER27 = {
        999, 991, 982, 974, 966, 958, 950, 941, 933, 925, 916, 908, 900, 899, 874, 850, 825, 800, 799, 700, 600, 500,
        400, 300, 200, 100, 0
    };

    private static final int[] SUPER40 = {
        999, 992, 985, 978, 971, 964, 957, 949, 942, 935, 928, 921, 914, 907, 900, 899, 879, 859, 840, 820, 800, 799,
        766, 733, 700, 699, 650, 600, 599, 500, 499, 400, 399, 300, 299, 200, 199, 100, 99, 0
    };

    private static final int[] SUPER100 = {
        999, 996, 992, 989, 985, 982, 979, 975, 972, 968, 965, 961, 958, 955, 951, 948, 944, 941, 938, 934, 931,
        927, 924, 920, 917, 914, 910, 907, 903, 900, 899, 891, 884, 876, 869, 861, 853, 846, 838, 830, 823, 815,
        808, 800, 799, 788, 777, 766, 755, 744, 733, 722, 711, 700, 699, 688, 677, 666, 655, 644, 633, 622, 611,
        600, 599, 585, 571, 557, 542, 528, 514, 500, 499, 485, 471, 457, 442, 428, 414, 400, 399, 379, 359, 340,
        320, 300, 299, 279, 259, 240, 220, 200, 199, 166, 133, 100, 99, 66, 33, 0
    };

    private static final Map<String, int[]> NAMED = table();

    private Timesteps() {}

    /**
     * {@code start, start - stride, ...} down to the last value {@code >= 0}; {@code strided(990, 30)} is the CS180
     * list {@code 990, 960, ..., 30, 0} (34 entries). It contains 0 exactly when {@code start % stride == 0}.
     *
     * @param start the first (largest) timestep, {@code >= 0}
     * @param stride the gap between entries, {@code >= 1}
     * @throws IllegalArgumentException naming the bad argument
     */
    public static int[] strided(int start, int stride) {
        if (start < 0) {
            throw new IllegalArgumentException("timesteps: start must be >= 0, got " + start);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("timesteps: stride must be >= 1, got " + stride);
        }
        int[] ts = new int[start / stride + 1];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = start - i * stride;
        }
        return ts;
    }

    /**
     * diffusers' {@code DDPMScheduler.set_timesteps(n)} with its default {@code timestep_spacing="leading"} and
     * {@code steps_offset=0}, as DeepFloyd IF's schedulers are configured: {@code t_k = (n - 1 - k) * (T / n)} with
     * integer division, k = 0 .. n-1. So 20 steps give 950, 900, ..., 50, 0; 50 give 980, 960, ..., 20, 0; 100 give
     * 990, 980, ..., 10, 0. The list always ends at 0 and never starts at T - 1.
     *
     * @param n the step count, in {@code [1, T]}
     * @param numTrainTimesteps T
     * @throws IllegalArgumentException naming num_inference_steps when n is out of range
     */
    public static int[] leading(int n, int numTrainTimesteps) {
        if (n < 1 || n > numTrainTimesteps) {
            throw new IllegalArgumentException("num_inference_steps: must be in [1, " + numTrainTimesteps
                    + "] for this model's T = " + numTrainTimesteps + ", got " + n);
        }
        int ratio = numTrainTimesteps / n;
        int[] ts = new int[n];
        for (int k = 0; k < n; k++) {
            ts[k] = (n - 1 - k) * ratio;
        }
        return ts;
    }

    /**
     * One of diffusers' DeepFloyd IF lists by name (case-insensitive): {@code fast27}, {@code smart27},
     * {@code smart50}, {@code smart100}, {@code smart185}, {@code super27}, {@code super40}, {@code super100}. They
     * are for T = 1000.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static int[] named(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        int[] ts = NAMED.get(key);
        if (ts == null) {
            throw new IllegalArgumentException(
                    "timesteps: unknown list '" + name + "'; known: " + String.join(", ", names()));
        }
        return ts.clone();
    }

    /** The names {@link #named(String)} accepts, in a fixed order. */
    public static List<String> names() {
        return List.copyOf(NAMED.keySet());
    }

    /**
     * Validates an explicit list.
     *
     * @param explicit the timesteps, strictly decreasing, each in {@code [0, numTrainTimesteps - 1]}, non-empty
     * @param numTrainTimesteps T
     * @throws IllegalArgumentException {@code "timesteps: ..."} naming the problem and the offending entry
     */
    public static int[] of(List<Integer> explicit, int numTrainTimesteps) {
        if (explicit == null || explicit.isEmpty()) {
            throw new IllegalArgumentException("timesteps: the list must not be empty");
        }
        int[] ts = new int[explicit.size()];
        for (int i = 0; i < ts.length; i++) {
            Integer t = explicit.get(i);
            if (t == null || t < 0 || t >= numTrainTimesteps) {
                throw new IllegalArgumentException(
                        "timesteps: entry " + i + " (" + t + ") is outside [0, " + (numTrainTimesteps - 1) + "]");
            }
            if (i > 0 && t >= ts[i - 1]) {
                throw new IllegalArgumentException(
                        "timesteps: must be strictly decreasing, but entry " + i + " (" + t + ") follows " + ts[i - 1]);
            }
            ts[i] = t;
        }
        return ts;
    }

    /**
     * The course's default list: {@code strided(990, 30)} for T = 1000 (CS180 project 5 part A), otherwise every
     * timestep {@code T - 1, ..., 0} (e.g. the T = 300 MNIST DDPM of part B).
     */
    public static int[] courseDefault(int numTrainTimesteps) {
        if (numTrainTimesteps < 1) {
            throw new IllegalArgumentException("timesteps: num_train_timesteps must be >= 1, got " + numTrainTimesteps);
        }
        return numTrainTimesteps == 1000 ? strided(990, 30) : strided(numTrainTimesteps - 1, 1);
    }

    private static Map<String, int[]> table() {
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put("fast27", FAST27);
        m.put("smart27", SMART27);
        m.put("smart50", SMART50);
        m.put("smart100", SMART100);
        m.put("smart185", SMART185);
        m.put("super27", SUPER27);
        m.put("super40", SUPER40);
        m.put("super100", SUPER100);
        return m;
    }
}
