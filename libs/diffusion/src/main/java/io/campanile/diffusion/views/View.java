package io.campanile.diffusion.views;

import io.campanile.diffusion.tensor.Tensor;

/**
 * An invertible orthogonal map of images: a permutation of pixel positions, possibly with a sign (a signed
 * permutation matrix), applied identically to every channel plane.
 *
 * <p>Tensors are {@code [C, H, W]} or {@code [B, C, H, W]}; rotations and the jigsaw need {@code H == W}. Because
 * every {@code H x W} plane is mapped the same way, {@link #inverse} also works on a UNet output with {@code 2C}
 * channels (noise and variance). Both methods return new tensors and leave their input unchanged. Implementations
 * are stateless and thread-safe.
 */
public interface View {

    /** The name {@link Views#parse(String)} accepts for this view, e.g. {@code flip}. */
    String name();

    /** Whether the view maps every image to itself (callers may then skip it; its methods still return copies). */
    default boolean isIdentity() {
        return false;
    }

    /**
     * Applies the view.
     *
     * @param x {@code [C, H, W]} or {@code [B, C, H, W]}
     * @return a new tensor of the same shape
     * @throws IllegalArgumentException if the shape does not suit the view (rank, square, divisibility)
     */
    Tensor apply(Tensor x);

    /**
     * Undoes {@link #apply}: {@code inverse(apply(x))} equals {@code x} exactly. As the map is orthogonal, this is
     * also its transpose.
     *
     * @param x {@code [C, H, W]} or {@code [B, C, H, W]}
     * @return a new tensor of the same shape
     */
    Tensor inverse(Tensor x);

    /**
     * Maps a learned-variance estimate seen through this view back: the pixel map of {@link #inverse} without its
     * sign, because a variance has none (visual_anagrams' {@code NegateView} inverts only the noise channels; negating
     * the variance interpolation would pull its branch average towards 0).
     *
     * @param v {@code [C, H, W]} or {@code [B, C, H, W]}
     * @return a new tensor of the same shape
     */
    default Tensor inverseVariance(Tensor v) {
        return inverse(v);
    }
}
