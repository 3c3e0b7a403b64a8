package io.campanile.packs;

import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.schedule.BetaSchedule;
import io.campanile.diffusion.schedule.VarianceType;
import java.util.function.Function;

/**
 * The names {@code manifest.json} gives diffusion's enums, both ways. Only these exact names are read: the parse
 * methods of the enums also take aliases and other cases ({@code minus_one_one}, {@code fixed}), which the manifest
 * format does not allow (and {@code deploy/export/packs.py} would reject).
 */
public final class ManifestNames {

    private ManifestNames() {}

    /** {@code [-1,1]} or {@code [0,1]}. */
    public static String of(ValueRange range) {
        return switch (range) {
            case MINUS_ONE_ONE -> "[-1,1]";
            case ZERO_ONE -> "[0,1]";
        };
    }

    /** {@code squaredcos_cap_v2} or {@code linear}. */
    public static String of(BetaSchedule schedule) {
        return switch (schedule) {
            case SQUAREDCOS_CAP_V2 -> "squaredcos_cap_v2";
            case LINEAR -> "linear";
        };
    }

    /** {@code learned_range}, {@code fixed_small} or {@code fixed_large}. */
    public static String of(VarianceType type) {
        return type.wireName();
    }

    /** The value range a manifest names, or null for any other text. */
    public static ValueRange valueRange(String name) {
        return find(ValueRange.values(), ManifestNames::of, name);
    }

    /** The beta schedule a manifest names, or null for any other text. */
    public static BetaSchedule betaSchedule(String name) {
        return find(BetaSchedule.values(), ManifestNames::of, name);
    }

    /** The variance type a manifest names, or null for any other text. */
    public static VarianceType varianceType(String name) {
        return find(VarianceType.values(), ManifestNames::of, name);
    }

    /** The value whose name is exactly {@code name}, or null. */
    static <E> E find(E[] values, Function<E, String> nameOf, String name) {
        for (E value : values) {
            if (nameOf.apply(value).equals(name)) {
                return value;
            }
        }
        return null;
    }
}
