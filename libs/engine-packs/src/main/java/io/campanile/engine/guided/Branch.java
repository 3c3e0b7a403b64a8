package io.campanile.engine.guided;

import io.campanile.diffusion.views.View;

/**
 * One noise estimate that a step mixes: the UNet sees {@code view(x_t)} with {@code prompt}, and its output is mapped
 * back by the inverse view (visual anagrams; the identity view for everything else).
 *
 * @param view how the branch sees the image
 * @param prompt the conditional prompt (or class label) of the branch
 */
public record Branch(View view, String prompt) {}
