package io.campanile.textencoder.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.campanile.contracts.AttemptCount;
import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.JobRequestMessage;
import io.campanile.contracts.Json;
import io.campanile.contracts.Progress;
import io.campanile.contracts.Topics;
import io.campanile.platform.Batch;
import io.campanile.platform.BrokerUnavailableException;
import io.campanile.platform.CancellationRegistry;
import io.campanile.platform.ConsumerLoop;
import io.campanile.platform.DeadLetters;
import io.campanile.platform.Ids;
import io.campanile.platform.JsonProducer;
import io.campanile.platform.StorageClient;
import io.campanile.textencoder.service.TextEncodeService;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Handles a group of text-encode requests: malformed ones go to dead-letters (their job fails), cancelled jobs are
 * reported cancelled, the rest are encoded together; each job is then forwarded to its worker after a PROGRESS event
 * (stage {@value #STAGE}), or fails with the reason. Storage or broker trouble retries the group with back-off, then
 * dead-letters it. Every start of a job is recorded in storage: a job started {@code maxStarts} times without
 * finishing (it kills the encoder's JVM) is FAILED, and a group holding a job started before runs one job at a time,
 * so a poison prompt cannot take its neighbours down with it again.
 */
final class TextEncodeHandler implements ConsumerLoop.BatchHandler {
    static final String STAGE = "text_encoder";
    private static final Logger LOG = Logger.getLogger(TextEncodeHandler.class);

    /** The clients a group reports through. */
    record Services(
            JsonProducer producer,
            DeadLetters deadLetters,
            CancellationRegistry cancellations,
            String instance,
            int maxAttempts,
            StorageClient storage,
            int maxStarts) {}

    private final TextEncodeService service;
    private final Services s;

    TextEncodeHandler(TextEncodeService service, Services services) {
        this.service = service;
        this.s = services;
    }

    @Override
    public void handle(Batch batch) {
        List<ConsumerRecord<String, String>> fresh = new ArrayList<>();
        List<ConsumerRecord<String, String>> retried = new ArrayList<>();
        for (ConsumerRecord<String, String> r : batch.records()) {
            UUID jobId = Ids.parseOrNull(r.key());
            AttemptCount start = jobId == null
                    ? new AttemptCount(1, false)
                    : storage(batch, () -> s.storage().recordAttempt(Topics.TEXT_ENCODE_REQUESTS, jobId));
            if (start == null) {
                return; // handed back while storage was away
            }
            if (start.finished()) {
                LOG.infof("job %s was encoded before: a duplicate delivery, skipped", jobId);
            } else if (start.attempt() > s.maxStarts()) {
                publishEvent(JobEventMessage.failed(
                        jobId,
                        s.instance(),
                        "the job was started " + (start.attempt() - 1)
                                + " times by text-encoder workers without finishing; campanile.worker.max-starts = "
                                + s.maxStarts()));
                finished(List.of(r), batch);
            } else {
                (start.attempt() > 1 ? retried : fresh).add(r);
            }
        }
        if (!retried.isEmpty()) {
            for (ConsumerRecord<String, String> r : batch.records()) {
                if (fresh.contains(r) || retried.contains(r)) {
                    if (!accept(List.of(r), batch::handBack) || !finished(List.of(r), batch)) {
                        return;
                    }
                }
                batch.done(r);
            }
            return;
        }
        if (accept(fresh, batch::handBack) && finished(fresh, batch)) {
            batch.records().forEach(batch::done);
        }
    }

    /** Records in storage that the jobs are encoded and forwarded (or failed); false when handed back meanwhile. */
    private boolean finished(List<ConsumerRecord<String, String>> records, Batch batch) {
        for (ConsumerRecord<String, String> r : records) {
            UUID jobId = Ids.parseOrNull(r.key());
            if (jobId != null
                    && storage(batch, () -> {
                                s.storage().finishAttempt(Topics.TEXT_ENCODE_REQUESTS, jobId, null);
                                return Boolean.TRUE;
                            })
                            == null) {
                return false;
            }
        }
        return true;
    }

    /** Calls storage, waiting out an outage; null when handed back meanwhile. */
    private <T> T storage(Batch batch, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (StorageClient.StorageUnavailableException e) {
                if (batch.handBack()) {
                    return null;
                }
                LOG.warnf("storage unavailable (attempt %d): %s", attempt, e.getMessage());
                sleep(Math.min(5000L, 250L << Math.min(attempt, 5)));
            }
        }
    }

    /** Handles records together; false when the loop asked for them back before they were done. */
    boolean accept(List<ConsumerRecord<String, String>> records, BooleanSupplier handBack) {
        List<JobRequestMessage> jobs = new ArrayList<>();
        List<ConsumerRecord<String, String>> jobRecords = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            JobRequestMessage job;
            try {
                job = parse(r.value());
            } catch (IllegalArgumentException e) {
                deadLetter(r, e.getMessage());
                continue;
            }
            if (s.cancellations().isCancelled(job.jobId())) {
                publishEvent(JobEventMessage.cancelled(job.jobId(), s.instance()));
                continue;
            }
            jobs.add(job);
            jobRecords.add(r);
        }
        if (jobs.isEmpty()) {
            return true;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                TextEncodeService.Processed processed = service.process(jobs);
                report(processed.outcomes());
                // Bound after the forward, before the records are done: a failure here retries the group, and the
                // jobs go again with the same event ids (the workers see replays).
                service.bind(processed.unbound());
                return true;
            } catch (ConsumerLoop.RetriableException | BrokerUnavailableException e) {
                if (handBack.getAsBoolean()) {
                    return false;
                }
                if (attempt >= s.maxAttempts()) {
                    jobRecords.forEach(
                            r -> deadLetter(r, "gave up after " + s.maxAttempts() + " attempts: " + e.getMessage()));
                    return true;
                }
                LOG.warnf("retrying %d text-encode request(s) (attempt %d): %s", jobs.size(), attempt, e.getMessage());
                sleep(Math.min(8000L, 500L << Math.min(attempt, 4)));
            } catch (RuntimeException e) {
                LOG.errorf(e, "unexpected failure on %d text-encode request(s)", jobs.size());
                jobRecords.forEach(r -> deadLetter(
                        r,
                        "unexpected " + e.getClass().getSimpleName() + " in " + s.instance() + ": " + e.getMessage()));
                return true;
            }
        }
    }

    private void report(List<TextEncodeService.Outcome> outcomes) {
        for (TextEncodeService.Outcome o : outcomes) {
            if (o instanceof TextEncodeService.Forward f) {
                // Sent first but not waited for: the forward is the job's next step, the progress a courtesy (a
                // lost one is said again by the worker's own progress).
                try {
                    JobEventMessage progress = JobEventMessage.progress(
                            f.jobId(), s.instance(), new Progress(STAGE, f.prompts(), f.prompts()));
                    s.producer().sendAsync(Topics.JOB_EVENTS, f.jobId().toString(), progress);
                } catch (RuntimeException e) {
                    LOG.debugf("progress of job %s not sent: %s", f.jobId(), e.getMessage());
                }
                s.producer().send(f.topic(), f.jobId().toString(), f.message());
            } else if (o instanceof TextEncodeService.Failed failed) {
                LOG.infof("job %s failed: %s", failed.jobId(), failed.reason());
                publishEvent(JobEventMessage.failed(failed.jobId(), s.instance(), failed.reason()));
            }
        }
    }

    private void publishEvent(JobEventMessage event) {
        s.producer().send(Topics.JOB_EVENTS, event.jobId().toString(), event);
    }

    private void deadLetter(ConsumerRecord<String, String> r, String reason) {
        s.deadLetters().publish(r, reason);
        UUID jobId = Ids.parseOrNull(r.key());
        if (jobId != null) {
            publishEvent(JobEventMessage.failed(jobId, s.instance(), reason));
        }
    }

    private static JobRequestMessage parse(String json) {
        JobRequestMessage m;
        try {
            m = Json.mapper().readValue(json, JobRequestMessage.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed job request: " + e.getOriginalMessage());
        }
        if (!JobRequestMessage.TYPE.equals(m.type())) {
            throw new IllegalArgumentException("unexpected message type '" + m.type() + "'");
        }
        if (m.schemaVersion() != JobRequestMessage.SCHEMA_VERSION) {
            throw new IllegalArgumentException("unsupported schema version " + m.schemaVersion());
        }
        if (m.jobId() == null || m.jobType() == null) {
            throw new IllegalArgumentException("job request without job id or job type");
        }
        return m;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
