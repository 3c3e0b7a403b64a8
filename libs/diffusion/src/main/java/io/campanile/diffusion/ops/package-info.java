/** Tensor operations of the experiments: the forward noising process and Gaussian blur. */
package io.campanile.diffusion.ops;
