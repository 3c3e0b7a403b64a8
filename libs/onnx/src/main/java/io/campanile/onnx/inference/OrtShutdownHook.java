package io.campanile.onnx.inference;

import java.lang.reflect.Field;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * ONNX Runtime's Java binding registers a JVM shutdown hook that releases its native environment (onnxruntime#31352).
 * Shutdown hooks run side by side, so on SIGTERM it releases the environment while the worker's own hook still lets
 * the job in hand run to its next step: the job then crashes in {@code OrtSession.run} (SIGSEGV, seen in the chaos
 * suite) instead of being handed back. This detaches that hook: the process exits anyway and the OS frees the memory,
 * as ONNX Runtime itself now skips its destructors at process exit.
 *
 * <p>It reads {@code ApplicationShutdownHooks} by reflection, which needs {@code java.base/java.lang} opened
 * to this code: the services' jars say so in their manifest ({@code Add-Opens}, from
 * {@code quarkus.package.jar.manifest.attributes}). Without it the hook stays, with a warning.
 */
final class OrtShutdownHook {
    private static final Logger LOG = Logger.getLogger(OrtShutdownHook.class);
    private static final String CLOSER = "ai.onnxruntime.OrtEnvironment$OrtEnvCloser";
    private static boolean detached;

    private OrtShutdownHook() {}

    /** Removes ONNX Runtime's environment closer from the shutdown hooks, once; true when it is gone. */
    static synchronized boolean detach() {
        if (detached) {
            return true;
        }
        try {
            Class<?> hooksClass = Class.forName("java.lang.ApplicationShutdownHooks");
            Field hooksField = hooksClass.getDeclaredField("hooks");
            hooksField.setAccessible(true);
            Map<Thread, Thread> hooks;
            synchronized (hooksClass) {
                @SuppressWarnings("unchecked")
                Map<Thread, Thread> live = (Map<Thread, Thread>) hooksField.get(null);
                hooks = new IdentityHashMap<>(live);
            }
            for (Thread hook : hooks.keySet()) {
                Object task = taskOf(hook);
                if (task != null && task.getClass().getName().equals(CLOSER)) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                    detached = true;
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf(
                    "ONNX Runtime's shutdown hook stays (%s): a worker stopped mid-step may crash instead of handing "
                            + "its job back; open java.base/java.lang to this code (Add-Opens)",
                    e.toString());
        }
        return detached;
    }

    /** The Runnable a thread was made with: field {@code target} up to JDK 18, {@code holder.task} from JDK 19. */
    private static Object taskOf(Thread thread) throws ReflectiveOperationException {
        try {
            Field target = Thread.class.getDeclaredField("target");
            target.setAccessible(true);
            return target.get(thread);
        } catch (NoSuchFieldException e) {
            Field holderField = Thread.class.getDeclaredField("holder");
            holderField.setAccessible(true);
            Object holder = holderField.get(thread);
            Field task = holder.getClass().getDeclaredField("task");
            task.setAccessible(true);
            return task.get(holder);
        }
    }
}
