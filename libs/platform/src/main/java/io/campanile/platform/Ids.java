package io.campanile.platform;

import java.util.UUID;

/** Parsing of ids that arrive from outside. */
public final class Ids {
    private Ids() {}

    /** The UUID in {@code s}, or null when {@code s} is null or not a UUID. */
    public static UUID parseOrNull(String s) {
        if (s == null) {
            return null;
        }
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
