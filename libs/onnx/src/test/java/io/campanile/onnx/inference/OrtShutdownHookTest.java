package io.campanile.onnx.inference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The environment's closer is found among the JVM's shutdown hooks and removed, on this JDK, with java.lang opened as
 * the services open it: SIGTERM then leaves the environment to the job that is still running its step.
 */
class OrtShutdownHookTest {
    @Test
    void onnxRuntimesEnvironmentCloserIsDetachedFromTheShutdownHooks() {
        OnnxSessions.environment();
        assertTrue(OrtShutdownHook.detach(), "ONNX Runtime's OrtEnvCloser was not found among the shutdown hooks");
    }
}
