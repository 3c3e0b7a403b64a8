/**
 * ONNX Runtime settings of the services that run model packs ({@code campanile.onnx.*}); no ONNX Runtime types here.
 */
package io.campanile.onnx;
