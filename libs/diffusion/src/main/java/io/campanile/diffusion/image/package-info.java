/**
 * Image input and output: PNG/JPEG probing and decoding, tensor conversion, PNG and .npy encoding, PyTorch-exact
 * bilinear resizing, and labelled contact sheets of results.
 */
package io.campanile.diffusion.image;
