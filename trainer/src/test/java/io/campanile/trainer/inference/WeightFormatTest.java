package io.campanile.trainer.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WeightFormatTest {
    @Test
    void parsesTheThreeFormatsByTheirWireNames() {
        for (WeightFormat f : WeightFormat.values()) {
            assertEquals(f, WeightFormat.parse(f.wireName()));
        }
        assertEquals("", WeightFormat.FP32.description());
    }

    @Test
    void anUnknownFormatNamesTheArgumentAndTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightFormat.parse("int4"));
        assertTrue(e.getMessage().contains("export_weights"), e.getMessage());
        assertTrue(e.getMessage().contains("fp32, fp16 or int8"), e.getMessage());
    }
}
