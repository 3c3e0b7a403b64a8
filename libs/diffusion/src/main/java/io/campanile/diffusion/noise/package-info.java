/** Reproducible Gaussian noise keyed by job seed, stream and sample index. */
package io.campanile.diffusion.noise;
