/** A minimal float tensor with checked shapes, shared by the diffusion maths and the workers. */
package io.campanile.diffusion.tensor;
