package io.campanile.platform;

import io.campanile.contracts.BlobRef;
import java.util.Optional;
import java.util.UUID;

/**
 * Files of a job that are not images (a training checkpoint, an animated GIF), bound by key to the job in storage's
 * {@code job-files} refs, so a later run of the same job (after a crash or a restart) finds them. Storage lets only
 * the namespace's owners bind there (storage's {@code NamespaceOwners}: the trainer today); a worker kind that starts
 * storing job files must be added there, or its binds are refused with a 403.
 */
public final class JobFiles {
    /** Storage refs namespace of job files. */
    public static final String NAMESPACE = "job-files";

    private final UUID jobId;
    private final StorageClient storage;
    private final Outages outages;
    private final JobInputs inputs;

    JobFiles(UUID jobId, StorageClient storage, Outages outages, JobInputs inputs) {
        this.jobId = jobId;
        this.storage = storage;
        this.outages = outages;
        this.inputs = inputs;
    }

    /**
     * Stores a file under {@code key}. A key is bound once: storing other bytes under it is refused.
     *
     * @param key letters, digits, '.', '_' or '-'
     */
    public BlobRef put(String key, byte[] bytes, String mediaType) {
        BlobRef ref = outages.retry("store file " + key, () -> storage.putBlob(bytes, mediaType));
        outages.run("bind file " + key, () -> storage.putRef(NAMESPACE, jobId + "." + key, ref));
        return ref;
    }

    /** The bytes stored under {@code key} by an earlier {@link #put} of this job, if any. */
    public Optional<byte[]> get(String key) {
        return outages.retry("look up file " + key, () -> storage.getRef(NAMESPACE, jobId + "." + key))
                .map(inputs::blob);
    }
}
