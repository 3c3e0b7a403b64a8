/**
 * Invertible orthogonal pixel maps ("views") for visual anagrams (Geng et al. 2024, "Visual Anagrams"; CS180
 * project 5 part A): a view is applied to {@code x_t}, the UNet runs on the viewed image, and the inverse view maps
 * every output channel back before the noise estimates are averaged.
 */
package io.campanile.diffusion.views;
