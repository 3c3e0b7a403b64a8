package io.campanile.gateway.service;

import io.campanile.contracts.JobStatus;
import io.campanile.gateway.persistence.JobEntity;
import io.campanile.gateway.persistence.JobOutputEntity;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
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

    /** A job and its outputs, read in one transaction. */
    public record JobWithOutputs(JobEntity job, List<JobOutputEntity> outputs) {
    }

    /** A listing filter; null fields do not filter. */
    public record Filter(JobStatus status, String type, String cursor, int limit) {
    }

    @Transactional
    public JobWithOutputs get(UUID id) {
        JobEntity job = JobEntity.findById(id);
        if (job == null) {
            throw new JobNotFoundException(id);
        }
        return new JobWithOutputs(job, JobOutputEntity.listByJob(id));
    }

    /** Newest first; the cursor is the (created_at, id) of the last item of the previous page. */
    @Transactional
    public List<JobWithOutputs> page(Filter f) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (f.status() != null) {
            q.append(" and status = :status");
            p.and("status", f.status());
        }
        if (f.type() != null) {
            q.append(" and type = :type");
            p.and("type", f.type());
        }
        if (f.cursor() != null) {
            Cursor c = Cursor.decode(f.cursor());
            q.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
            p.and("at", c.createdAt()).and("id", c.id());
        }
        q.append(" order by createdAt desc, id desc");
        List<JobEntity> jobs = JobEntity.find(q.toString(), p).page(0, f.limit()).list();
        List<JobWithOutputs> out = new ArrayList<>();
        for (JobEntity j : jobs) {
            out.add(new JobWithOutputs(j, JobOutputEntity.listByJob(j.id)));
        }
        return out;
    }

    /** Position in the listing order. */
    public record Cursor(Instant createdAt, UUID id) {
        public String encode() {
            String raw = createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String s) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8).split(":");
                return new Cursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                        UUID.fromString(parts[2]));
            } catch (RuntimeException e) {
                throw new InvalidRequestException("cursor", "'cursor' is not a cursor returned by this API");
            }
        }
    }
}
