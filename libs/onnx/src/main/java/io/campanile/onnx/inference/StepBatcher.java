package io.campanile.onnx.inference;

import io.campanile.diffusion.tensor.Tensor;
import io.campanile.onnx.StepBatching;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Continuous batching of one pack's UNet calls (ADR 0022): calls from concurrent jobs, each on its own thread, wait
 * in a queue, and one of them runs the calls waiting as one merged call, up to {@link StepBatching#maxRows()} rows and
 * {@link StepBatching#maxMegabytes()}. A job joins at its next step and leaves when it stops calling. A merged call
 * starts once every job that ran in the last two calls is waiting again, or after {@link StepBatching#maxWait()}
 * (from the oldest call's arrival or the last call's end); a job alone runs at once. Each job gets its own rows back, or its own failure.
 */
final class StepBatcher {
    /** Runs merged calls: per part, its output Tensor or the RuntimeException that is that part's failure. */
    interface Runner extends Function<List<UnetInput>, List<Object>> {}

    private static final class Call {
        final UnetInput in;
        final long arrived = System.nanoTime();
        final Thread caller = Thread.currentThread();
        Object result;
        boolean done;

        Call(UnetInput in) {
            this.in = in;
        }
    }

    private final StepBatching limits;
    private final long bytesPerRow;
    private final Runner runner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Call> queue = new ArrayDeque<>();
    /** Per caller, the number of the last merged call it was in; callers not seen for two calls are dropped. */
    private final Map<Thread, Long> recent = new HashMap<>();

    private boolean running;
    /** When the last merged call ended (nanoTime): the jobs in it need a moment to come back with their next step. */
    private long lastEnd = System.nanoTime();

    private long calls;
    private long mergedCalls;
    private long mergedRows;

    /** @param bytesPerRow input and output bytes of one row, for the memory bound */
    StepBatcher(StepBatching limits, long bytesPerRow, Runner runner) {
        this.limits = limits;
        this.bytesPerRow = Math.max(1, bytesPerRow);
        this.runner = runner;
    }

    /** Runs the call, merged with those of other jobs waiting; returns its own rows. */
    Tensor run(UnetInput in) {
        Call call = new Call(in);
        boolean interrupted = false;
        lock.lock();
        try {
            queue.add(call);
            changed.signalAll();
            while (!call.done) {
                if (!running && ready()) {
                    lead(take());
                    continue;
                }
                try {
                    changed.awaitNanos(running ? TimeUnit.MILLISECONDS.toNanos(100) : untilDue());
                } catch (InterruptedException e) {
                    interrupted = true; // the call is queued or running: it ends soon either way
                }
            }
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (call.result instanceof RuntimeException e) {
            throw e;
        }
        if (call.result instanceof Error e) {
            throw e;
        }
        return (Tensor) call.result;
    }

    /** Merged calls that held more than one job's rows, and their rows, since start. */
    long[] mergedCounts() {
        lock.lock();
        try {
            return new long[] {mergedCalls, mergedRows};
        } finally {
            lock.unlock();
        }
    }

    /** Runs the calls with the lock released; holds it again on return. */
    private void lead(List<Call> group) {
        running = true;
        lock.unlock();
        List<Object> results;
        try {
            results = runner.apply(group.stream().map(c -> c.in).toList());
        } catch (RuntimeException | Error e) {
            List<Object> failed = new ArrayList<>();
            group.forEach(c -> failed.add(e));
            results = failed;
        } finally {
            lock.lock();
        }
        calls++;
        if (group.size() > 1) {
            mergedCalls++;
            mergedRows += group.stream().mapToInt(c -> c.in.batch()).sum();
        }
        for (int i = 0; i < group.size(); i++) {
            Call c = group.get(i);
            c.result = results.get(i);
            c.done = true;
            recent.put(c.caller, calls);
        }
        recent.values().removeIf(last -> last < calls - 1);
        running = false;
        lastEnd = System.nanoTime();
        changed.signalAll();
    }

    /** Whether the queue should run now: full, every recent caller waiting, or the oldest waited long enough. */
    private boolean ready() {
        if (queue.isEmpty()) {
            return false;
        }
        if (rows(queue) >= limits.maxRows() || untilDue() <= 0) {
            return true;
        }
        int waiting = 0;
        for (Call c : queue) {
            if (recent.containsKey(c.caller) || recent.isEmpty()) {
                waiting++;
            }
        }
        return waiting >= Math.max(1, recent.size());
    }

    private long untilDue() {
        Call oldest = queue.peek();
        return oldest == null
                ? TimeUnit.MILLISECONDS.toNanos(100)
                : oldest.arrived + limits.maxWait().toNanos() - System.nanoTime();
    }

    /** The oldest calls that fit the limits together (at least one). */
    private List<Call> take() {
        List<Call> group = new ArrayList<>();
        long rows = 0;
        long maxBytes = limits.maxMegabytes() << 20;
        while (!queue.isEmpty()) {
            int b = queue.peek().in.batch();
            boolean fits = rows + b <= limits.maxRows() && (rows + b) * bytesPerRow <= maxBytes;
            if (!group.isEmpty() && !fits) {
                break;
            }
            group.add(queue.poll());
            rows += b;
        }
        return group;
    }

    private static long rows(ArrayDeque<Call> queue) {
        long n = 0;
        for (Call c : queue) {
            n += c.in.batch();
        }
        return n;
    }
}
