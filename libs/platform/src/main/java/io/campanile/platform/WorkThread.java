package io.campanile.platform;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * A {@link ConsumerLoop}'s work threads, one per slot: each runs the handler on one batch at a time, never on the
 * polling thread. Nothing the work throws escapes to the loop: its records are simply not done, so they are
 * redelivered.
 */
final class WorkThread {
    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);

    private final String name;
    private final ExecutorService executor;

    WorkThread(String name, int slots) {
        this.name = name;
        // Jobs run on the work thread, ONNX Runtime's CPU kernels among them: they have crashed the JVM (SIGSEGV) on
        // threads with a 1-2 MiB native stack, so it gets 16 MiB.
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(slots, r -> {
            String thread = slots == 1 ? name : name + "-" + n.incrementAndGet();
            Thread t = new Thread(null, r, thread, 16L << 20);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the handler on the batch. The slot is free again when the handler returns ({@link Batch#computed}); the
     * future is done once the handler returned or threw and the work it left off the slot ({@link Batch#finishLater})
     * has ended.
     */
    CompletableFuture<Void> submit(ConsumerLoop.BatchHandler handler, Batch batch) {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        executor.submit(() -> {
            try {
                handler.handle(batch);
            } catch (Throwable t) {
                LOG.errorf(t, "work of %s failed outside its handler; its records are redelivered", name);
            } finally {
                batch.computed();
                batch.tailsEnded().whenComplete((v, e) -> ended.complete(null));
            }
        });
        return ended;
    }

    /** Interrupts the work in hand, if any, and ends the thread. */
    void shutdownNow() {
        executor.shutdownNow();
    }
}
