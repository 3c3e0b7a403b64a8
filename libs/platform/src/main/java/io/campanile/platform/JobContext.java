package io.campanile.platform;

import io.campanile.contracts.JobRequestMessage;
import java.util.function.BooleanSupplier;

/**
 * What an operation sees of its job besides its typed request: the message, and the collaborators that read its
 * inputs ({@link JobInputs}), store its outputs ({@link JobOutputs}) and files ({@link JobFiles}), report progress
 * and timings ({@link JobEvents}), and notice that it must stop ({@link #checkCancelled}). Storage and broker
 * outages are ridden out by each ({@link Outages}). Not thread-safe: one job, one thread.
 */
public final class JobContext {
    private final JobRequestMessage request;
    private final JobWorker.Services services;
    private final BooleanSupplier handBack;
    private final Outages outages;
    private final long deadlineNanos;
    private final JobEvents events;
    private final JobInputs inputs;
    private final JobOutputs outputs;
    private final JobFiles files;
    private String nextTopic;

    JobContext(JobRequestMessage request, JobWorker.Services services, BooleanSupplier handBack) {
        this.request = request;
        this.services = services;
        this.handBack = handBack;
        this.outages = new Outages(services.policy().outage(), handBack);
        this.deadlineNanos = System.nanoTime() + services.policy().jobTimeout().toNanos();
        this.events = new JobEvents(request.jobId(), request.createdAt(), services, outages);
        this.inputs = new JobInputs(request.inputs(), services.storage(), outages);
        this.outputs = new JobOutputs(request.jobId(), services, outages, events);
        this.files = new JobFiles(request.jobId(), services.storage(), outages, inputs);
    }

    public JobRequestMessage request() {
        return request;
    }

    /** The job's seed; every random draw of the job derives from it. */
    public long seed() {
        return request.seed();
    }

    public JobInputs inputs() {
        return inputs;
    }

    public JobOutputs outputs() {
        return outputs;
    }

    public JobEvents events() {
        return events;
    }

    public JobFiles files() {
        return files;
    }

    /**
     * Hands the job on to another worker instead of finishing it here (e.g. stage 1 to stage-2 upscaling): the
     * message is published to {@code topic} and this worker reports no SUCCEEDED; the next worker does.
     */
    public void continueWith(String topic, JobRequestMessage next) {
        outputs.awaitStored(); // the next stage reads them
        outages.run(
                "hand the job to " + topic,
                () -> services.producer().send(topic, request.jobId().toString(), next));
        nextTopic = topic;
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
            throw new JobFailedException("the job ran longer than "
                    + services.policy().jobTimeout().toMinutes() + " minutes (campanile.worker.job-timeout-minutes)");
        }
    }

    /** How this job rides out outages of storage and the broker (the worker's own calls for the job use it too). */
    Outages outages() {
        return outages;
    }

    /** True once the worker wants the job back (it stops, or the job's partition moved). */
    BooleanSupplier handBack() {
        return handBack;
    }

    /** The topic {@link #continueWith} handed the job to, or null when it finishes here. */
    String nextTopic() {
        return nextTopic;
    }
}
