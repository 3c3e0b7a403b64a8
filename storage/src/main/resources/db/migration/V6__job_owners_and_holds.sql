-- Retention (issue 15). A job's tenant, registered by the gateway when it accepts the job, and the job's holds on its
-- input blobs: what keeps an input alive, since only the gateway's job row names it.
create table job_owners (
    job_id      uuid        primary key,
    tenant      text        not null,
    created_at  timestamptz not null default now()
);
create index job_owners_tenant_idx on job_owners (tenant);

create table holds (
    job_id  uuid      not null references job_owners (job_id),
    sha256  char(64)  not null references blobs (sha256),
    primary key (job_id, sha256)
);

-- When the blob's bytes were last stored: the collector's grace counts from here, so a put of bytes that are already
-- stored (about to be referenced again) keeps them for another grace period. created_at stays the first store.
alter table blobs add column last_put_at timestamptz not null default now();
create index blobs_last_put_idx on blobs (last_put_at);

-- The collector asks "does anything refer to this blob?" once per candidate: one index per referring column.
create index images_png_idx on images (png_sha256);
create index images_tensor_idx on images (tensor_sha256);
create index refs_sha256_idx on refs (sha256);
create index holds_sha256_idx on holds (sha256);
-- A job's files are the job-files refs keyed "<job id>.<name>": found by a key range in byte order (collate "C"), so
-- that the range of one job id is contiguous whatever the database's collation.
create index refs_job_files_idx on refs ((key collate "C")) where namespace = 'job-files';

-- Blobs stored before jobs held their inputs: none of them is known to be unreferenced (an input of a job still in
-- the gateway's table has no hold), so they are held by one reserved pseudo job and never collected. An operator can
-- release them with DELETE /internal/jobs/00000000-0000-0000-0000-000000000000 once the older jobs are gone.
insert into job_owners (job_id, tenant) values ('00000000-0000-0000-0000-000000000000', 'default');
insert into holds (job_id, sha256)
select '00000000-0000-0000-0000-000000000000', b.sha256 from blobs b
where not exists (select 1 from images i where i.png_sha256 = b.sha256 or i.tensor_sha256 = b.sha256)
  and not exists (select 1 from refs r where r.sha256 = b.sha256);
-- Finished attempts are pruned by finish time, and attempts never finished by their last start.
create index attempts_age_idx on attempts ((coalesce(finished_at, last_at)));
