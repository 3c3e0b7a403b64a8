package io.campanile.platform;

import io.campanile.contracts.BlobRef;
import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.OutputRef;
import io.campanile.contracts.StoredImage;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A job's image outputs: each is stored (PNG and raw float32 {@code .npy}), registered, and reported as OUTPUT, in
 * order. The bytes come encoded (libs/engine's output writer encodes tensors), so this library knows nothing of images.
 *
 * <p>Storing overlaps the job's compute: {@link #store} gives the output its ordinal and its content addresses
 * (SHA-256, as storage addresses blobs) at once and hands the upload and registration to storage's transfer threads,
 * several outputs side by side. The job thread reports each stored output as OUTPUT, in ordinal order, when it next
 * stores one or at {@link #awaitStored}, which the worker calls before the job is reported done or handed on: no job
 * ends, and no stage reads an output, before storage holds it. Storage outages are ridden out by each upload as
 * before: a computed output waits in memory until storage takes it. A figure that is rendered from the job's results
 * (a contact sheet) is rendered on those threads too ({@link #storeRendered}): the job's slot ends with its last
 * computation, not with the drawing of its figures. Not thread-safe, like the job context: one job, one thread.
 */
public final class JobOutputs {
    private final UUID jobId;
    private final JobWorker.Services services;
    private final Outages outages;
    private final JobEvents events;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private int ordinal;

    /**
     * An output being stored in the background: its ordinal and role, the registration to come, and the timing its
     * rendering adds (its name and nanoseconds; null when it came encoded).
     */
    private record Pending(int ordinal, String role, CompletableFuture<StoredImage> stored, Rendered rendered) {}

    /** An output's bytes, encoded: the picture, its float32 {@code .npy} tensor, its shape [C, H, W] and range. */
    public record Encoded(byte[] png, byte[] npy, List<Integer> shape, String range) {}

    /** How long a rendered output took to draw, reported as the job's {@code timing} when the output is stored. */
    private static final class Rendered {
        final String timing;
        volatile long nanos;

        Rendered(String timing) {
            this.timing = timing;
        }
    }

    JobOutputs(UUID jobId, JobWorker.Services services, Outages outages, JobEvents events) {
        this.jobId = jobId;
        this.services = services;
        this.outages = outages;
        this.events = events;
    }

    /**
     * Stores one output image in the background and returns it as it will be registered: its blobs' addresses are
     * final, its {@code id} is storage's to assign and is null here. Idempotent per role, so a redelivered job
     * reports the same image. A failure to store it (an outage past the bound, a hand-back) is thrown by a later
     * {@link #store} or by {@link #awaitStored}.
     *
     * @param png the picture
     * @param npy the tensor behind it, float32 {@code .npy}
     * @param shape the tensor's shape, [C, H, W]
     * @param range its value range, {@code "[0,1]"} or {@code "[-1,1]"}
     */
    public StoredImage store(String role, byte[] png, byte[] npy, List<Integer> shape, String range) {
        long t0 = System.nanoTime();
        try {
            reportStored(false);
            StoredImage image = image(role, ordinal, new Encoded(png, npy, shape, range));
            StorageClient storage = services.storage();
            pending.add(new Pending(ordinal, role, storage.inBackground(() -> upload(image, png, npy)), null));
            ordinal++;
            return image;
        } finally {
            events.addTiming("outputs", System.nanoTime() - t0);
        }
    }

    /**
     * Stores an output that {@code render} draws, in the background like the upload: a figure of results the job
     * has finished with (their tensors must not change after this call). It takes its ordinal now, so outputs are
     * reported in the order they were stored; the time spent drawing it is reported as the job's {@code timing}
     * ("sheet") once it is stored. A failure to render it fails the job as a failure to store does: thrown by a later
     * {@link #store} or by {@link #awaitStored}.
     */
    public void storeRendered(String role, String timing, Supplier<Encoded> render) {
        long t0 = System.nanoTime();
        try {
            reportStored(false);
            int n = ordinal;
            Rendered rendered = new Rendered(timing);
            CompletableFuture<StoredImage> stored = services.storage().inBackground(() -> {
                long r0 = System.nanoTime();
                Encoded e = render.get();
                rendered.nanos = System.nanoTime() - r0;
                return upload(image(role, n, e), e.png(), e.npy());
            });
            pending.add(new Pending(n, role, stored, rendered));
            ordinal++;
        } finally {
            events.addTiming("outputs", System.nanoTime() - t0);
        }
    }

    private StoredImage image(String role, int n, Encoded e) {
        return StoredImage.builder()
                .jobId(jobId)
                .role(role)
                .ordinal(n)
                .png(BlobRef.of(e.png()))
                .tensor(BlobRef.of(e.npy()))
                .shape(e.shape())
                .dtype("float32")
                .valueRange(e.range())
                .build();
    }

    /** On a storage thread: stores the blobs, checks their addresses, registers the output (riding out outages). */
    private StoredImage upload(StoredImage image, byte[] png, byte[] npy) {
        StorageClient storage = services.storage();
        String role = image.role();
        List<BlobRef> refs = outages.retry(
                "store output '" + role + "'",
                () -> storage.putBlobs(List.of(png, npy), List.of("image/png", "application/x-npy")));
        if (!refs.equals(List.of(image.png(), image.tensor()))) {
            throw new IllegalStateException(
                    "storage addressed output '" + role + "' as " + refs + ", not by the SHA-256 of its bytes");
        }
        return outages.retry("register output '" + role + "'", () -> storage.registerImage(image));
    }

    /**
     * Waits until every output stored so far is in storage and reported as OUTPUT (in order); rethrows the first
     * failure to store one. Timed as part of "outputs".
     */
    public void awaitStored() {
        long t0 = System.nanoTime();
        try {
            reportStored(true);
        } finally {
            events.addTiming("outputs", System.nanoTime() - t0);
        }
    }

    /** Reports the stored outputs at the head of the queue as OUTPUT; with {@code all}, waits for every one. */
    private void reportStored(boolean all) {
        while (!pending.isEmpty() && (all || pending.peek().stored().isDone())) {
            Pending p = pending.peek();
            StoredImage stored;
            try {
                stored = Futures.join(p.stored());
            } catch (RuntimeException e) {
                pending.clear(); // the job fails or is handed back: what is left is not reported
                throw e;
            }
            pending.remove();
            if (p.rendered() != null) {
                events.addTiming(p.rendered().timing, p.rendered().nanos);
            }
            events.publish(JobEventMessage.output(
                    jobId, services.instance(), new OutputRef(stored.id(), p.role(), p.ordinal())));
        }
    }
}
