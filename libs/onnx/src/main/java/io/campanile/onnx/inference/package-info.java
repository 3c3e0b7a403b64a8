/**
 * The only package that imports ONNX Runtime: sessions opened from a pack's graph file with the configured execution
 * provider, and one {@code AutoCloseable} runner per model kind ({@link UnetModel},
 * {@link TextEncoderModel}) that checks the graph against its manifest when it loads.
 * ONNX Runtime is a {@code provided} dependency: each service declares {@code ${onnxruntime.artifact}} itself, so
 * {@code -Pgpu} can switch it to the CUDA build.
 */
package io.campanile.onnx.inference;
