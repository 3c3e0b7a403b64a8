package io.campanile.platform;

import io.campanile.contracts.BlobRef;
import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.OutputRef;
import io.campanile.contracts.StoredImage;
import java.util.List;
import java.util.UUID;

/**
 * A job's image outputs: each is stored (PNG and raw float32 {@code .npy}), registered, and reported as OUTPUT, in
 * order. Storage outages are ridden out: a computed output waits in memory until storage takes it. The bytes come
 * encoded (libs/engine's output writer encodes tensors), so this library knows nothing of images.
 */
public final class JobOutputs {
    private final UUID jobId;
    private final JobWorker.Services services;
    private final Outages outages;
    private final JobEvents events;
    private int ordinal;

    JobOutputs(UUID jobId, JobWorker.Services services, Outages outages, JobEvents events) {
        this.jobId = jobId;
        this.services = services;
        this.outages = outages;
        this.events = events;
    }

    /**
     * Stores one output image and reports it. Idempotent per role, so a redelivered job reports the same image.
     *
     * @param png the picture
     * @param npy the tensor behind it, float32 {@code .npy}
     * @param shape the tensor's shape, [C, H, W]
     * @param range its value range, {@code "[0,1]"} or {@code "[-1,1]"}
     */
    public StoredImage store(String role, byte[] png, byte[] npy, List<Integer> shape, String range) {
        long t0 = System.nanoTime();
        try {
            List<BlobRef> refs = outages.retry(
                    "store output '" + role + "'",
                    () -> services.storage().putBlobs(List.of(png, npy), List.of("image/png", "application/x-npy")));
            StoredImage image = StoredImage.builder()
                    .jobId(jobId)
                    .role(role)
                    .ordinal(ordinal)
                    .png(refs.get(0))
                    .tensor(refs.get(1))
                    .shape(shape)
                    .dtype("float32")
                    .valueRange(range)
                    .build();
            StoredImage stored = outages.retry(
                    "register output '" + role + "'", () -> services.storage().registerImage(image));
            events.publish(
                    JobEventMessage.output(jobId, services.instance(), new OutputRef(stored.id(), role, ordinal)));
            ordinal++;
            return stored;
        } finally {
            events.addTiming("outputs", System.nanoTime() - t0);
        }
    }
}
