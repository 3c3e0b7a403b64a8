package io.campanile.diffusion.views;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.noise.SeededNoise;
import io.campanile.diffusion.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ViewsTest {

    private static final Tensor X = SeededNoise.gaussian(1, "x", 0, 2, 6, 16, 16);
    private static final Tensor Y = SeededNoise.gaussian(1, "y", 0, 2, 6, 16, 16);

    static Stream<String> allViews() {
        return Stream.concat(
                Views.names().stream(), Stream.of("patch_shuffle_4", "patch_shuffle_2", "patch_shuffle_16"));
    }

    @ParameterizedTest
    @MethodSource("allViews")
    void inverseUndoesApplyExactlyOnBatchAndChw(String name) {
        View view = Views.parse(name);
        assertArrayEquals(X.data(), view.inverse(view.apply(X)).data());
        assertArrayEquals(X.data(), view.apply(view.inverse(X)).data());
        Tensor chw = SeededNoise.gaussian(2, "chw", 0, 3, 16, 16);
        assertArrayEquals(chw.data(), view.inverse(view.apply(chw)).data());
        assertEquals(name.toLowerCase(), view.name());
    }

    @ParameterizedTest
    @MethodSource("allViews")
    void applyIsOrthogonal(String name) {
        View view = Views.parse(name);
        Tensor ax = view.apply(X);
        Tensor ay = view.apply(Y);
        assertEquals(dot(X, X), dot(ax, ax), 1e-9 * dot(X, X));
        assertEquals(dot(X, Y), dot(ax, ay), 1e-9 * Math.sqrt(dot(X, X) * dot(Y, Y)));
        assertArrayEquals(X.shape(), ax.shape());
    }

    @ParameterizedTest
    @MethodSource("allViews")
    void oneViewMapsPlanesOfDifferentSizesInTurn(String name) {
        // A view keeps the tables of the last plane size: a new size must build new ones, not reuse them.
        View shared = Views.parse(name);
        Tensor large = SeededNoise.gaussian(3, "large", 0, 1, 2, 32, 32);
        for (Tensor x : List.of(X, large, X, large)) {
            View fresh = Views.parse(name);
            assertArrayEquals(fresh.apply(x).data(), shared.apply(x).data());
            assertArrayEquals(fresh.inverse(x).data(), shared.inverse(x).data());
            assertArrayEquals(
                    fresh.inverseVariance(x).data(), shared.inverseVariance(x).data());
        }
    }

    @ParameterizedTest
    @MethodSource("allViews")
    void onlyTheIdentityMapsEveryImageToItselfAndItStillReturnsCopies(String name) {
        View view = Views.parse(name);
        assertEquals(name.equals("identity"), view.isIdentity());
        Tensor x = SeededNoise.gaussian(4, "x32", 0, 1, 2, 32, 32); // 32 x 32: every patch shuffle moves patches
        assertEquals(view.isIdentity(), Arrays.equals(x.data(), view.apply(x).data()));
        Tensor out = view.apply(x);
        out.data()[0] += 1;
        assertFalse(out.data()[0] == x.data()[0], "apply returned its input, not a copy");
    }

    @ParameterizedTest
    @MethodSource("allViews")
    void applyDoesNotModifyItsInput(String name) {
        Tensor copy = X.copy();
        Views.parse(name).apply(copy);
        assertArrayEquals(X.data(), copy.data());
    }

    @Test
    void flipIsUpsideDown() {
        Tensor out = Views.parse("flip").apply(X);
        int h = 16;
        int w = 16;
        for (int plane = 0; plane < 12; plane++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int base = plane * h * w;
                    assertEquals(X.data()[base + (h - 1 - y) * w + x], out.data()[base + y * w + x]);
                }
            }
        }
    }

    @Test
    void mirrorNegateAndRot90OnASmallMatrix() {
        Tensor m = new Tensor(new int[] {1, 2, 2}, new float[] {1, 2, 3, 4});
        // torch.rot90([[1, 2], [3, 4]]) = [[2, 4], [1, 3]]
        assertArrayEquals(
                new float[] {2, 4, 1, 3}, Views.parse("rot90").apply(m).data());
        assertArrayEquals(
                new float[] {4, 3, 2, 1}, Views.parse("rot180").apply(m).data());
        assertArrayEquals(
                new float[] {3, 1, 4, 2}, Views.parse("rot270").apply(m).data());
        assertArrayEquals(
                new float[] {2, 1, 4, 3}, Views.parse("mirror").apply(m).data());
        assertArrayEquals(new float[] {3, 4, 1, 2}, Views.parse("flip").apply(m).data());
        assertArrayEquals(
                new float[] {-1, -2, -3, -4}, Views.parse("negate").apply(m).data());
    }

    @Test
    void aVarianceIsMappedBackWithoutTheViewsSign() {
        Tensor m = new Tensor(new int[] {1, 2, 2}, new float[] {1, 2, 3, 4});
        // negate: the noise comes back negated, the variance as it is (visual_anagrams' NegateView)
        assertArrayEquals(
                new float[] {-1, -2, -3, -4}, Views.parse("negate").inverse(m).data());
        assertArrayEquals(
                new float[] {1, 2, 3, 4},
                Views.parse("negate").inverseVariance(m).data());
        // an unsigned view maps both back the same way
        for (String name : List.of("identity", "flip", "mirror", "rot90", "rot180", "rot270", "jigsaw")) {
            View v = Views.parse(name);
            assertArrayEquals(v.inverse(X).data(), v.inverseVariance(X).data(), name);
        }
    }

    @Test
    void rot90FourTimesIsIdentityAndItsInverseIsRot270() {
        View rot90 = Views.parse("rot90");
        Tensor r = X;
        for (int i = 0; i < 4; i++) {
            r = rot90.apply(r);
            if (i < 3) {
                assertFalse(Arrays.equals(X.data(), r.data()));
            }
        }
        assertArrayEquals(X.data(), r.data());
        assertArrayEquals(
                Views.parse("rot270").apply(X).data(), rot90.inverse(X).data());
        assertArrayEquals(
                Views.parse("rot180").apply(X).data(),
                rot90.apply(rot90.apply(X)).data());
    }

    @Test
    void jigsawMovesQuadrantsAndIsNotAWholeRotation() {
        // 4 x 4 plane with values 0..15: the top-right output quadrant is the input top-left quadrant [[0, 1], [4,
        // 5]] turned counter-clockwise: [[1, 5], [0, 4]].
        float[] v = new float[16];
        for (int i = 0; i < 16; i++) {
            v[i] = i;
        }
        Tensor out = Views.parse("jigsaw").apply(new Tensor(new int[] {1, 4, 4}, v));
        assertArrayEquals(
                new float[] {1, 5, 0, 4}, new float[] {out.data()[2], out.data()[3], out.data()[6], out.data()[7]});
        for (String rot : new String[] {"identity", "rot90", "rot180", "rot270", "flip", "mirror"}) {
            assertFalse(
                    Arrays.equals(
                            Views.parse(rot).apply(X).data(),
                            Views.parse("jigsaw").apply(X).data()),
                    rot);
        }
    }

    @Test
    void patchShuffleKeepsPatchesIntactAndIsFixed() {
        View view = Views.parse("patch_shuffle_8");
        Tensor out = view.apply(X);
        assertFalse(Arrays.equals(X.data(), out.data()));
        assertArrayEquals(out.data(), Views.parse("PATCH_SHUFFLE_8").apply(X).data());
        // every output patch equals some input patch
        for (int py = 0; py < 2; py++) {
            for (int px = 0; px < 2; px++) {
                float first = out.data()[py * 8 * 16 + px * 8];
                boolean found = false;
                for (int q = 0; q < 4; q++) {
                    found |= X.data()[(q / 2) * 8 * 16 + (q % 2) * 8] == first;
                }
                assertTrue(found);
            }
        }
    }

    @Test
    void unknownNamesAndUnsuitableShapesAreRejected() {
        for (String bad : new String[] {"rot45", "patch_shuffle_0", "patch_shuffle_x", "", "patch_shuffle_"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Views.parse(bad));
            assertTrue(e.getMessage().startsWith("views: unknown view '" + bad + "'; known: "), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Views.parse(null));
        Tensor wide = Tensor.zeros(3, 8, 16);
        assertThrows(IllegalArgumentException.class, () -> Views.parse("rot90").apply(wide));
        assertThrows(IllegalArgumentException.class, () -> Views.parse("jigsaw").apply(wide));
        assertThrows(
                IllegalArgumentException.class,
                () -> Views.parse("patch_shuffle_3").apply(wide));
        assertThrows(IllegalArgumentException.class, () -> Views.parse("flip").apply(Tensor.zeros(16, 16)));
        assertEquals(8, Views.parse("flip").apply(wide).dim(1));
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += (double) a.data()[i] * b.data()[i];
        }
        return s;
    }
}
