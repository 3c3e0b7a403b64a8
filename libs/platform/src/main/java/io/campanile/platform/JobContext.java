package io.campanile.platform;

import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.contracts.BlobRef;
import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.JobRequestMessage;
import io.campanile.contracts.OutputRef;
import io.campanile.contracts.Progress;
import io.campanile.contracts.StoredImage;

import io.campanile.diffusion.image.ImageCodec;
import io.campanile.diffusion.image.Npy;
import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What an operation sees of its job: the request, its inputs, and the means to report outputs and progress and to
 * notice cancellation. Storage and broker outages are ridden out here ({@link Outages}): a computed output waits in
 * memory until storage takes it. {@link #checkCancelled} also stops a job that is handed back or ran past its time.
 * Not thread-safe: one job, one thread.
 */
public final class JobContext {
    private final JobRequestMessage request;
    private final JobWorker.Services services;
    /** Storage refs namespace of {@link #putJobFile}. */
    public static final String JOB_FILES = "job-files";
    private int ordinal;
    private long lastProgressNanos;
    private boolean continued;
    private String nextTopic;
    private final List<PendingEvent> pendingEvents = new ArrayList<>();
    private final java.util.Map<String, long[]> timings = new java.util.LinkedHashMap<>();
    private final java.util.function.BooleanSupplier handBack;
    private final Outages outages;
    private final long deadlineNanos;

    /** An event sent without waiting, kept with its acknowledgement so that a failed send is sent again. */
    private record PendingEvent(JobEventMessage event, java.util.concurrent.Future<?> ack) {
    }

    JobContext(JobRequestMessage request, JobWorker.Services services, java.util.function.BooleanSupplier handBack) {
        this.request = request;
        this.services = services;
        this.handBack = handBack;
        this.outages = new Outages(services.policy().outage(), handBack);
        this.deadlineNanos = System.nanoTime() + services.policy().jobTimeout().toNanos();
    }

    public JobRequestMessage request() {
        return request;
    }

    /** The job's seed; every random draw of the job derives from it. */
    public long seed() {
        return request.seed();
    }

    /** An integer parameter (the gateway filled in defaults). */
    public int intParam(String name) {
        return param(name).asInt();
    }

    public double doubleParam(String name) {
        return param(name).asDouble();
    }

    public List<Integer> intListParam(String name) {
        List<Integer> out = new ArrayList<>();
        param(name).forEach(n -> out.add(n.asInt()));
        return out;
    }

    private JsonNode param(String name) {
        JsonNode v = request.params() == null ? null : request.params().get(name);
        if (v == null || v.isNull()) {
            throw new JobFailedException("parameter '" + name + "' is missing from the job");
        }
        return v;
    }

    /** The bytes of an input image field. */
    public byte[] input(String field) {
        BlobRef ref = request.inputs() == null ? null : request.inputs().get(field);
        if (ref == null) {
            throw new JobFailedException("input '" + field + "' is missing from the job");
        }
        try {
            return outages.retry("read input '" + field + "'", () -> services.storage().getBlob(ref));
        } catch (StorageClient.NotFoundException e) {
            throw new JobFailedException("input '" + field + "' is no longer in storage");
        }
    }

    /**
     * Stores an output image (PNG and raw float32 tensor), registers it, and reports it. Idempotent per role, so a
     * redelivered job reports the same image.
     *
     * @param chw image tensor [C, H, W] in {@code range}
     */
    public StoredImage output(String role, Tensor chw, ValueRange range) {
        long t0 = System.nanoTime();
        byte[] png = ImageCodec.encodePng(chw, range);
        addTiming("png", System.nanoTime() - t0);
        return store(role, png, chw, range);
    }

    private StoredImage store(String role, byte[] png, Tensor chw, ValueRange range) {
        long t0 = System.nanoTime();
        try {
            return storeNow(role, png, chw, range);
        } finally {
            addTiming("outputs", System.nanoTime() - t0);
        }
    }

    private StoredImage storeNow(String role, byte[] png, Tensor chw, ValueRange range) {
        byte[] npy = Npy.encode(chw);
        List<BlobRef> refs = outages.retry("store output '" + role + "'", () -> services.storage().putBlobs(
                List.of(png, npy), List.of("image/png", "application/x-npy")));
        StoredImage image = StoredImage.builder().jobId(request.jobId()).role(role).ordinal(ordinal).png(refs.get(0))
                .tensor(refs.get(1)).shape(Arrays.stream(chw.shape()).boxed().toList()).dtype("float32")
                .valueRange(range == ValueRange.ZERO_ONE ? "[0,1]" : "[-1,1]").build();
        StoredImage stored = outages.retry("register output '" + role + "'",
                () -> services.storage().registerImage(image));
        publish(JobEventMessage.output(request.jobId(), services.instance(), new OutputRef(stored.id(), role,
                ordinal)));
        ordinal++;
        return stored;
    }

    /**
     * Hands the job on to another worker instead of finishing it here (e.g. stage 1 to stage-2 upscaling): the
     * message is published to {@code topic} and this worker reports no SUCCEEDED; the next worker does.
     */
    public void continueWith(String topic, JobRequestMessage next) {
        outages.run("hand the job to " + topic, () -> services.producer().send(topic, request.jobId().toString(),
                next));
        continued = true;
        nextTopic = topic;
    }

    /** How this job rides out outages of storage and the broker (the worker's own calls for the job use it too). */
    Outages outages() {
        return outages;
    }

    /** The topic {@link #continueWith} handed the job to, or null. */
    String nextTopic() {
        return nextTopic;
    }

    /** Adds {@code nanos} to the job's time spent in {@code what} (e.g. "unet"), reported as what_ms and what_calls. */
    public void addTiming(String what, long nanos) {
        long[] t = timings.computeIfAbsent(what, k -> new long[2]);
        t[0] += nanos;
        t[1]++;
    }

    /** The timings for the SUCCEEDED event: what_ms and what_calls per {@link #addTiming} name. */
    java.util.Map<String, Long> timings() {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        timings.forEach((k, v) -> {
            out.put(k + "_ms", v[0] / 1_000_000);
            out.put(k + "_calls", v[1]);
        });
        return out;
    }

    /**
     * Waits until every event this job published without waiting is acknowledged; one whose send failed (the broker
     * was away) is sent again until it is, within the outage bound. Events are idempotent at the gateway.
     */
    void awaitEvents() {
        pendingEvents.forEach(this::confirm);
        pendingEvents.clear();
    }

    /**
     * Waits for an event's acknowledgement; an OUTPUT whose send failed is sent again (riding out the outage), a
     * PROGRESS is dropped: a later one says more.
     */
    private void confirm(PendingEvent p) {
        try {
            JsonProducer.await(List.of(p.ack()));
        } catch (BrokerUnavailableException e) {
            if (p.event().event() != io.campanile.contracts.JobEventType.PROGRESS) {
                publishNow(p.event());
            }
        }
    }

    /** Publishes an event and waits for it, riding out a broker outage. */
    void publishNow(JobEventMessage event) {
        outages.run("report " + event.event(), () -> services.publish(event));
    }

    /** Whether {@link #continueWith} handed the job on. */
    boolean continued() {
        return continued;
    }

    /** The bytes of a blob the job refers to (an embedding, a checkpoint). */
    public byte[] blob(BlobRef ref) {
        try {
            return outages.retry("read blob " + ref.sha256(), () -> services.storage().getBlob(ref));
        } catch (StorageClient.NotFoundException e) {
            throw new JobFailedException("blob " + ref.sha256() + " of the job is no longer in storage");
        }
    }

    /** The bytes of several blobs of the job, read concurrently, in order. */
    public List<byte[]> blobs(List<BlobRef> refs) {
        try {
            return outages.retry("read the job's blobs", () -> services.storage().getBlobs(refs));
        } catch (StorageClient.NotFoundException e) {
            throw new JobFailedException("a blob of the job is no longer in storage: " + e.getMessage());
        }
    }

    /**
     * Stores a rendered PNG that is not a model tensor (a contact sheet, a plot) and reports it like an image
     * output; its {@code .npy} form is the picture itself as float32 [3, H, W] in [0, 1].
     */
    public void outputPicture(String role, byte[] png) {
        java.awt.image.BufferedImage img = ImageCodec.decode(png);
        int w = img.getWidth();
        int h = img.getHeight();
        float[] chw = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                chw[y * w + x] = ((rgb >> 16) & 0xff) / 255f;
                chw[h * w + y * w + x] = ((rgb >> 8) & 0xff) / 255f;
                chw[2 * h * w + y * w + x] = (rgb & 0xff) / 255f;
            }
        }
        store(role, png, new Tensor(new int[] {3, h, w}, chw), ValueRange.ZERO_ONE);
    }

    /** Reports progress, at most once per configured interval except for the last step. */
    public void progress(String stage, int step, int total) {
        progress(new Progress(stage, step, total));
    }

    /** Reports progress with its optional fields (training: epoch, loss, images/s, ETA), throttled the same way. */
    public void progress(Progress p) {
        long now = System.nanoTime();
        if (p.step() < p.total() && now - lastProgressNanos < services.progressIntervalNanos()) {
            return;
        }
        lastProgressNanos = now;
        publish(JobEventMessage.progress(request.jobId(), services.instance(), p));
    }

    /**
     * Sends an event without waiting and keeps it until acknowledged; acknowledged ones are dropped and failed ones
     * sent again, so the list stays short. A send the broker refuses at once is kept for {@link #awaitEvents}.
     */
    private void publish(JobEventMessage event) {
        java.util.concurrent.Future<?> ack;
        try {
            ack = services.publishAsync(event);
        } catch (RuntimeException e) {
            ack = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        List<PendingEvent> done = pendingEvents.stream().filter(p -> p.ack().isDone()).toList();
        done.forEach(this::confirm);
        pendingEvents.removeAll(done);
        pendingEvents.add(new PendingEvent(event, ack));
    }

    /**
     * Stores a file of the job that is not an image (a training checkpoint, an animated GIF) and binds it under
     * {@code key} to this job in storage's {@code job-files} refs, so a later run of the same job (after a crash or
     * a restart) finds it with {@link #jobFile}. A key is bound once: storing other bytes under it is refused.
     *
     * @param key letters, digits, '.', '_' or '-'
     */
    public BlobRef putJobFile(String key, byte[] bytes, String mediaType) {
        BlobRef ref = outages.retry("store file " + key, () -> services.storage().putBlob(bytes, mediaType));
        outages.run("bind file " + key, () -> services.storage().putRef(JOB_FILES, request.jobId() + "." + key, ref));
        return ref;
    }

    /** The bytes stored under {@code key} by an earlier {@link #putJobFile} of this job, if any. */
    public java.util.Optional<byte[]> jobFile(String key) {
        return outages.retry("look up file " + key, () -> services.storage().getRef(JOB_FILES,
                request.jobId() + "." + key)).map(this::blob);
    }

    /**
     * Call between steps. Throws {@link JobCancelledException} when the job was cancelled,
     * {@link JobHandedBackException} when the worker hands the job back (it stops, or the partition moved), and
     * {@link JobFailedException} when the job ran past {@code campanile.worker.job-timeout-minutes}.
     */
    public void checkCancelled() {
        if (services.cancellations().isCancelled(request.jobId())) {
            throw new JobCancelledException(request.jobId().toString());
        }
        if (handBack.getAsBoolean()) {
            throw new JobHandedBackException("job " + request.jobId() + " handed back at a step");
        }
        if (System.nanoTime() > deadlineNanos) {
            throw new JobFailedException("the job ran longer than " + services.policy().jobTimeout().toMinutes()
                    + " minutes (campanile.worker.job-timeout-minutes)");
        }
    }

}
