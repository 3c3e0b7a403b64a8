-- How many times each consumer (a worker kind's request topic) has started a job: counted here, outside the worker,
-- so that a start that kills its process is still counted when the job is delivered again.
create table attempts (
    consumer  text        not null,
    job_id    uuid        not null,
    count     integer     not null,
    first_at  timestamptz not null default now(),
    last_at   timestamptz not null default now(),
    primary key (consumer, job_id)
);
