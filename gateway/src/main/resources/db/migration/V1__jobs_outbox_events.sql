-- Jobs: the gateway is the only writer. A terminal status (SUCCEEDED, FAILED, CANCELLED) never changes.
create table jobs (
    id                uuid        primary key,
    type              text        not null,
    model             text        not null,
    status            text        not null,
    seed              bigint      not null,
    params            text        not null,
    inputs            text        not null,
    idempotency_key   text        unique,
    request_hash      text,
    progress_stage    text,
    progress_step     integer,
    progress_total    integer,
    error             text,
    worker            text,
    cancel_requested  boolean     not null default false,
    version           bigint      not null default 0,
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    started_at        timestamptz,
    finished_at       timestamptz
);
create index jobs_page_idx on jobs (created_at desc, id desc);
create index jobs_status_idx on jobs (status, created_at desc, id desc);
create index jobs_type_idx on jobs (type, created_at desc, id desc);

-- Outputs reported by workers, in order.
create table job_outputs (
    job_id    uuid    not null references jobs (id),
    image_id  uuid    not null,
    role      text    not null,
    ordinal   integer not null,
    primary key (job_id, image_id),
    unique (job_id, role)
);

-- Transactional outbox: written with the job in one transaction, published by the relay, then deleted.
create table outbox (
    id          bigserial   primary key,
    topic       text        not null,
    msg_key     text        not null,
    payload     text        not null,
    created_at  timestamptz not null default now()
);

-- Ids of job-events already applied: applying an event twice changes nothing.
create table processed_events (
    event_id      uuid        primary key,
    processed_at  timestamptz not null default now()
);
