package io.campanile.trainer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeBuildTest {
    @Test
    void avx512IsReadFromTheFlagsLine(@TempDir Path dir) throws Exception {
        Path with = Files.writeString(dir.resolve("a"), "processor : 0\nflags : fpu sse2 avx2 avx512f avx512bw\n");
        Path without = Files.writeString(dir.resolve("b"), "processor : 0\nflags : fpu sse2 avx2 avx512_vnni_like\n");
        assertTrue(NativeBuild.hasAvx512(with));
        assertFalse(NativeBuild.hasAvx512(without));
        assertFalse(NativeBuild.hasAvx512(dir.resolve("missing")));
    }

    @Test
    void bothNativeBuildsAreOnTheClasspath() {
        ClassLoader cl = NativeBuild.class.getClassLoader();
        for (String build : new String[] {"linux-x86_64-onednn-avx512", "linux-x86_64-onednn"}) {
            assertTrue(
                    cl.getResource("org/nd4j/linalg/cpu/nativecpu/bindings/" + build + "/") != null,
                    "ND4J native build " + build + " is not on the classpath");
        }
    }
}
