package io.campanile.diffusion.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.noise.SeededNoise;
import io.campanile.diffusion.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NpyTest {

    @Test
    void roundTripKeepsShapeAndValues() {
        Tensor t = SeededNoise.gaussian(1L, 0, 2, 3, 5);
        Tensor back = Npy.decode(Npy.encode(t));
        assertArrayEquals(t.shape(), back.shape());
        assertArrayEquals(t.data(), back.data());
    }

    /** Byte for byte what numpy.save writes for np.zeros((3, 64, 64), np.float32): a 118-byte header. */
    @Test
    void headerMatchesNumpy() {
        byte[] npy = Npy.encode(Tensor.zeros(3, 64, 64));
        assertEquals((byte) 0x93, npy[0]);
        assertEquals("NUMPY", new String(npy, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, npy[6]);
        assertEquals(0, npy[7]);
        int headerLength = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
        assertEquals(118, headerLength);
        assertEquals(0, (10 + headerLength) % 64);
        String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 64, 64), }";
        assertTrue(header.startsWith(dict), header);
        assertEquals(" ".repeat(headerLength - dict.length() - 1) + "\n", header.substring(dict.length()));
        assertEquals(10 + headerLength + 4 * 3 * 64 * 64, npy.length);
    }

    @Test
    void oneDimensionalAndScalarShapesUsePythonTupleSyntax() {
        byte[] npy = Npy.encode(new Tensor(new int[] {5}, new float[] {1, 2, 3, 4, 5}));
        String header = new String(npy, 10, 118, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }"), header);
        assertEquals(0, npy.length % 4);
        byte[] scalar = Npy.encode(new Tensor(new int[0], new float[] {2.5f}));
        assertTrue(new String(scalar, StandardCharsets.US_ASCII).contains("'shape': (), }"));
        assertEquals(2.5f, Npy.decode(scalar).data()[0]);
        assertArrayEquals(new int[0], Npy.decode(scalar).shape());
    }

    @Test
    void dataIsLittleEndianFloat32() {
        byte[] npy = Npy.encode(new Tensor(new int[] {1}, new float[] {1f}));
        // 1.0f = 0x3F800000, little-endian
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3f}, Arrays.copyOfRange(npy, npy.length - 4, npy.length));
    }

    @Test
    void decodeRejectsOtherDtypesAndCorruptFiles() {
        byte[] good = Npy.encode(Tensor.zeros(2, 2));
        byte[] f8 = good.clone();
        String header = new String(f8, StandardCharsets.ISO_8859_1).replace("'<f4'", "'<f8'");
        assertThrows(IllegalArgumentException.class, () -> Npy.decode(header.getBytes(StandardCharsets.ISO_8859_1)));
        assertThrows(IllegalArgumentException.class, () -> Npy.decode(Arrays.copyOf(good, good.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> Npy.decode(new byte[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> Npy.decode("\u0093NUMPY".getBytes(StandardCharsets.UTF_8)));
    }
}
