/** Image input and output: PNG/JPEG probing and decoding, tensor conversion, PNG and .npy encoding. */
package io.campanile.diffusion.image;
