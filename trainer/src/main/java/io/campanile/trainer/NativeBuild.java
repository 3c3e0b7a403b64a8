package io.campanile.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Chooses ND4J's native build before ND4J loads: the oneDNN build compiled for AVX-512 where the CPU has it, else the
 * oneDNN build for any x86-64 (oneDNN still picks AVX2 or AVX-512 convolution kernels at run time; ND4J's plain
 * generic build convolves about 13x slower). Both are on the classpath; JavaCPP loads the one the platform extension
 * names. An extension set by the user ({@code -Dorg.bytedeco.javacpp.platform.extension}) wins.
 */
public final class NativeBuild {
    public static final String PROPERTY = "org.bytedeco.javacpp.platform.extension";
    private static final Logger LOG = Logger.getLogger(NativeBuild.class);

    private NativeBuild() {}

    /** Sets the extension (once, before the first ND4J call); returns the one in force. */
    public static synchronized String select() {
        String set = System.getProperty(PROPERTY);
        if (set == null) {
            set = hasAvx512(Path.of("/proc/cpuinfo")) ? "-onednn-avx512" : "-onednn";
            System.setProperty(PROPERTY, set);
            LOG.infof("ND4J native build: linux-x86_64%s", set);
        }
        return set;
    }

    /** Whether /proc/cpuinfo lists avx512f (false where it cannot be read). */
    static boolean hasAvx512(Path cpuinfo) {
        try (var lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("flags")).anyMatch(l -> l.matches(".*\\bavx512f\\b.*"));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }
}
