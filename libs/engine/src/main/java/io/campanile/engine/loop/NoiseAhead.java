package io.campanile.engine.loop;

import io.campanile.diffusion.tensor.Tensor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * The step noise of one loop run, drawn ahead by one background task that runs over the run's steps in order while
 * the loop calls its model. A step's noise depends only on (seed, stream, image), never on the images, so the task can
 * run as far ahead as its ring of buffers allows: {@link #BUDGET_BYTES} of them, at least two. When every step fits
 * (a 34-step job of one 64 px image takes 1.6 MB), the task is started once per run and never waits, so no step wakes
 * a thread: on busy cores, waking a helper thread per step cost the loop's thread more than the draw itself. When the
 * steps do not fit, the task waits for the loop to hand back a buffer, one step at a time.
 *
 * <p>{@link #take} returns step k's noise (waiting for it if the task is behind; the wait is timed as "noise");
 * {@link #release} hands its buffer back after the step used it. {@link #close} stops the task, also mid-run (a
 * cancelled or failed job).
 */
final class NoiseAhead implements AutoCloseable {
    /** The most bytes of noise drawn ahead per loop run. */
    static final long BUDGET_BYTES = 16L << 20;

    /** Daemon threads that draw a run's noise while its model calls run. */
    private static final ExecutorService DRAWS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "noise-ahead");
        t.setDaemon(true);
        return t;
    });

    private final Tensor[] ring;
    /** Per step, its buffer in the ring (steps with noise take the ring's buffers in turn), or -1: no noise. */
    private final int[] slotOf;

    private final CompletableFuture<?>[] drawn;
    private final Semaphore free;
    private volatile boolean closed;

    /** The ring's buffers: how many steps the task may draw ahead. */
    int slots() {
        return ring.length;
    }

    /**
     * Starts drawing.
     *
     * @param streams per step, the noise stream to draw, or null for a step that adds no noise (t = 0)
     * @param shape the noise of one step, [N, C, H, W]
     */
    NoiseAhead(long seed, String[] streams, int firstImage, int[] shape) {
        this(seed, streams, firstImage, shape, BUDGET_BYTES);
    }

    /** Starts drawing, at most {@code budgetBytes} ahead (at least two steps). */
    NoiseAhead(long seed, String[] streams, int firstImage, int[] shape, long budgetBytes) {
        long bytes = Float.BYTES;
        for (int d : shape) {
            bytes *= d;
        }
        int slots = (int) Math.max(2, Math.min(streams.length, budgetBytes / Math.max(1, bytes)));
        this.ring = new Tensor[slots];
        this.slotOf = new int[streams.length];
        this.drawn = new CompletableFuture<?>[streams.length];
        int next = 0;
        for (int k = 0; k < streams.length; k++) {
            slotOf[k] = streams[k] == null ? -1 : next++ % slots;
            drawn[k] = new CompletableFuture<>();
        }
        this.free = new Semaphore(slots);
        if (streams.length == 0) {
            return;
        }
        DRAWS.execute(() -> draw(seed, streams, firstImage, shape));
    }

    private void draw(long seed, String[] streams, int firstImage, int[] shape) {
        for (int k = 0; k < streams.length && !closed; k++) {
            if (streams[k] == null) {
                drawn[k].complete(null);
                continue;
            }
            try {
                free.acquire();
                if (closed) {
                    return;
                }
                int slot = slotOf[k];
                if (ring[slot] == null) {
                    ring[slot] = Tensor.zeros(shape);
                }
                Noise.fill(seed, streams[k], firstImage, ring[slot]);
                drawn[k].complete(null);
            } catch (InterruptedException e) {
                drawn[k].completeExceptionally(e);
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                drawn[k].completeExceptionally(e);
                return;
            }
        }
    }

    /** Step k's noise, once drawn; null for a step without noise. Call {@link #release} after the step used it. */
    Tensor take(int k) {
        drawn[k].join();
        return slotOf[k] < 0 ? null : ring[slotOf[k]]; // the future's completion made the draw visible here
    }

    /** Hands step k's buffer back for a later step's draw (in step order, after {@link #take}). */
    void release(int k) {
        if (slotOf[k] >= 0) {
            free.release();
        }
    }

    /** Stops the task after its current draw; it holds no buffer the loop still reads. */
    @Override
    public void close() {
        closed = true;
        free.release(ring.length); // a task waiting for a buffer wakes and sees closed
    }
}
