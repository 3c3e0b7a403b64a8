/**
 * Test model packs: small ONNX graphs built in Java with tribuo-util-onnx, with the inputs and outputs of the IF
 * stage-I/II UNets, a class-conditioned and an unconditional UNet and the T5 encoder, whose outputs are known
 * functions of their inputs ({@link TestFunctions}); install them with
 * {@link TestPacks}.
 */
package io.campanile.testpacks;
