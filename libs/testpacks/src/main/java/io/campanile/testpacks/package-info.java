/**
 * Test model packs: small ONNX graphs built in Java with tribuo-util-onnx, with the inputs and outputs of the IF
 * stage-I/II UNets, a class-conditioned and an unconditional UNet and the T5 encoder, whose outputs are known
 * functions of their inputs ({@link io.campanile.testpacks.TestFunctions}); install them with
 * {@link io.campanile.testpacks.TestPacks}.
 */
package io.campanile.testpacks;
