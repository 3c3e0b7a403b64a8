package io.campanile.diffusion.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void constructorRejectsWrongDataLengthAndPrintsBoth() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new Tensor(new int[] {2, 3}, new float[5]));
        assertTrue(e.getMessage().contains("5"), e.getMessage());
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void zerosHasShapeAndSize() {
        Tensor t = Tensor.zeros(2, 3, 4);
        assertArrayEquals(new int[] {2, 3, 4}, t.shape());
        assertEquals(24, t.size());
        assertEquals(3, t.dim(1));
        assertEquals(4, t.dim(-1));
        assertEquals("[2, 3, 4]", t.shapeString());
        for (float v : t.data()) {
            assertEquals(0f, v);
        }
    }

    @Test
    void shapeIsImmutableAndDataIsShared() {
        float[] data = {1, 2, 3, 4};
        Tensor t = new Tensor(new int[] {2, 2}, data);
        t.shape()[0] = 7;
        assertArrayEquals(new int[] {2, 2}, t.shape());
        assertSame(data, t.data());
    }

    @Test
    void reshapeIsAViewAndInfersOneDimension() {
        Tensor t = Tensor.zeros(2, 3, 4);
        Tensor r = t.reshape(6, -1);
        assertArrayEquals(new int[] {6, 4}, r.shape());
        r.data()[5] = 9f;
        assertEquals(9f, t.data()[5]);
        assertThrows(IllegalArgumentException.class, () -> t.reshape(5, 5));
    }

    @Test
    void copyIsDeep() {
        Tensor t = new Tensor(new int[] {3}, new float[] {1, 2, 3});
        Tensor c = t.copy();
        assertNotSame(t.data(), c.data());
        c.data()[0] = 5;
        assertEquals(1f, t.data()[0]);
    }

    @Test
    void requireShapeNamesTheTensorAndPrintsBothShapes() {
        Tensor t = Tensor.zeros(3, 32, 32);
        t.requireShape("sample", 3, 32, 32);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> t.requireShape("sample", 3, 64, 64));
        assertTrue(e.getMessage().startsWith("sample"), e.getMessage());
        assertTrue(e.getMessage().contains("[3, 64, 64]"), e.getMessage());
        assertTrue(e.getMessage().contains("[3, 32, 32]"), e.getMessage());
    }

    @Test
    void requireSameShapePrintsBothShapes() {
        Tensor.requireSameShape(Tensor.zeros(2, 2), Tensor.zeros(2, 2));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Tensor.requireSameShape(Tensor.zeros(2, 2), Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("[2, 2]") && e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test
    void negativeDimensionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, -1));
    }
}
