package io.campanile.contracts.jobs;

import java.util.List;

/** The checks and defaults of an upscale job's illusion fields ({@link UpscaleRequest#illusion}). */
final class Illusions {
    static final List<String> DEFAULT_VIEWS = List.of("identity", "flip");
    /** The hybrid job's default low-pass at 64 px. */
    static final int KERNEL_SIZE = 33;

    static final double SIGMA = 2.0;

    private Illusions() {}

    /** Each illusion takes its own fields and no others. */
    static void check(
            UpscaleRequest.Illusion kind, List<String> prompts, List<String> views, Integer kernelSize, Double sigma) {
        switch (kind) {
            case NONE -> {
                only(prompts, "prompts", kind);
                only(views, "views", kind);
                only(kernelSize, "kernel_size", kind);
                only(sigma, "sigma", kind);
            }
            case ANAGRAM -> {
                requirePrompts(prompts, kind, 2);
                only(kernelSize, "kernel_size", kind);
                only(sigma, "sigma", kind);
                if (views != null && views.size() != prompts.size()) {
                    throw new InvalidFieldException(
                            "views",
                            "'views' has " + views.size() + " entries; give one view per prompt (" + prompts.size()
                                    + ")");
                }
            }
            case HYBRID -> {
                requirePrompts(prompts, kind, 2);
                if (prompts.size() != 2) {
                    throw new InvalidFieldException(
                            "prompts", "a hybrid takes two prompts, [far, near]; got " + prompts.size());
                }
                only(views, "views", kind);
            }
        }
    }

    private static void requirePrompts(List<String> prompts, UpscaleRequest.Illusion kind, int min) {
        if (prompts == null || prompts.size() < min) {
            throw new InvalidFieldException(
                    "prompts", "illusion " + kind.wireName() + " needs 'prompts', " + min + " or more");
        }
    }

    private static void only(Object value, String field, UpscaleRequest.Illusion kind) {
        if (value != null) {
            throw new InvalidFieldException(
                    field,
                    "'" + field + "' does not apply to illusion " + kind.wireName()
                            + (kind == UpscaleRequest.Illusion.NONE ? "; set illusion to anagram or hybrid" : ""));
        }
    }
}
