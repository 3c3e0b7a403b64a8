package io.campanile.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SafeNamesTest {
    @Test
    void rolesBecomeFileNamesThatStayInTheFolder() {
        assertEquals("noisy_t-250", SafeNames.of("noisy t=250"));
        assertEquals("anagram_1_view-flip_256px", SafeNames.of("anagram 1 view=flip 256px"));
        assertEquals("_etc_passwd", SafeNames.of("../etc/passwd"));
        assertEquals("output", SafeNames.of("..."));
        assertEquals("checkpoint-epoch-5.sd", SafeNames.of("checkpoint-epoch-5.sd"));
    }

    @Test
    void takenNamesGetASuffix() {
        Set<String> taken = new HashSet<>();
        assertEquals("a", SafeNames.unique("a", taken));
        assertEquals("a-2", SafeNames.unique("a", taken));
        assertEquals("a-3", SafeNames.unique("a", taken));
        assertEquals("b", SafeNames.unique("b", taken, ".png", ".npy"));
        taken.add("c.npy");
        assertEquals("c-2", SafeNames.unique("c", taken, ".png", ".npy"));
        assertEquals("b-2", SafeNames.unique("b", taken, ".png", ".npy"));
    }
}
