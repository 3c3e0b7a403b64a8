package io.campanile.gateway.service;

import io.campanile.contracts.JobStatus;
import io.campanile.gateway.auth.Caller;
import io.campanile.gateway.persistence.JobEntity;
import io.campanile.gateway.persistence.JobOutputEntity;
import io.campanile.gateway.persistence.JobOutputRepository;
import io.campanile.gateway.persistence.JobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Reads of job state: one job with its outputs, and keyset-paginated listings. */
@ApplicationScoped
public class JobQueries {
    private final JobRepository jobs;
    private final JobOutputRepository jobOutputs;

    @Inject
    JobQueries(JobRepository jobs, JobOutputRepository jobOutputs) {
        this.jobs = jobs;
        this.jobOutputs = jobOutputs;
    }

    /** A job and its outputs, read in one transaction. */
    public record JobWithOutputs(JobEntity job, List<JobOutputEntity> outputs) {}

    /** A listing filter; null fields do not filter. */
    public record Filter(JobStatus status, String type, String cursor, int limit) {}

    /** A job of any tenant, for the gateway's own use (live streams render what they already admitted). */
    @Transactional
    public JobWithOutputs get(UUID id) {
        JobEntity job = jobs.find(id);
        if (job == null) {
            throw new JobNotFoundException(id);
        }
        return new JobWithOutputs(job, jobOutputs.listByJob(id));
    }

    /**
     * A job the caller may see: another tenant's job is not found, exactly like an unknown id, so that nothing tells
     * that it exists.
     */
    @Transactional
    public JobWithOutputs get(UUID id, Caller caller) {
        JobEntity job = jobs.find(id);
        if (job == null || !caller.sees(job.tenant)) {
            throw new JobNotFoundException(id);
        }
        return new JobWithOutputs(job, jobOutputs.listByJob(id));
    }

    /**
     * The caller's jobs (every tenant's for an admin), newest first; the cursor is the (created_at, id) of the last
     * item of the previous page.
     */
    @Transactional
    public List<JobWithOutputs> page(Filter f, Caller caller) {
        Cursor c = f.cursor() == null ? null : Cursor.decode(f.cursor());
        List<JobEntity> page = jobs.page(
                caller.admin() ? null : caller.tenant(),
                f.status(),
                f.type(),
                c == null ? null : c.createdAt(),
                c == null ? null : c.id(),
                f.limit());
        List<JobWithOutputs> out = new ArrayList<>();
        for (JobEntity j : page) {
            out.add(new JobWithOutputs(j, jobOutputs.listByJob(j.id)));
        }
        return out;
    }

    /** Position in the listing order. */
    public record Cursor(Instant createdAt, UUID id) {
        /** 9999-12-31T23:59:59Z: a later time is no job's, and past PostgreSQL's range it would be a database error. */
        private static final Instant LATEST = Instant.ofEpochSecond(253_402_300_799L);

        public String encode() {
            String raw = createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String s) {
            try {
                if (s.length() > 200) { // ours are about 80
                    throw new IllegalArgumentException("too long");
                }
                String[] parts = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8).split(":");
                Instant at = Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
                if (at.isBefore(Instant.EPOCH) || at.isAfter(LATEST)) {
                    throw new IllegalArgumentException("out of the range of job times"); // PostgreSQL's is smaller
                }
                return new Cursor(at, UUID.fromString(parts[2]));
            } catch (RuntimeException e) {
                throw new InvalidRequestException("cursor", "'cursor' is not a cursor returned by this API");
            }
        }
    }
}
