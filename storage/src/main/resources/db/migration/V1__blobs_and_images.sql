-- Content-addressed blobs: the address is the SHA-256 of the bytes, so storing the same bytes twice is a no-op.
create table blobs (
    sha256      char(64)    primary key,
    size        bigint      not null,
    media_type  text        not null,
    data        bytea       not null,
    created_at  timestamptz not null default now()
);

-- Output images: one per (job, role); the PNG and the raw float32 tensor are blobs.
create table images (
    id             uuid        primary key,
    job_id         uuid        not null,
    role           text        not null,
    ordinal        integer     not null,
    png_sha256     char(64)    not null references blobs (sha256),
    tensor_sha256  char(64)    references blobs (sha256),
    shape          text        not null,
    dtype          text        not null,
    value_range    text        not null,
    created_at     timestamptz not null default now(),
    unique (job_id, role)
);
create index images_job_idx on images (job_id, ordinal);
