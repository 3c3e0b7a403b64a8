-- Fair-share dispatch (ADR 0016): an accepted job waits in dispatch_queue, not in Kafka, until its lane (the request
-- topic of the worker kind that does its main work) has room in its window; the dispatcher then moves its request
-- message to the outbox, picking across tenants. A job holds a slot of its lane's window from its dispatch until it
-- ends, all of its hops included.
alter table jobs add column dispatch_lane text;
alter table jobs add column dispatched_at timestamptz;
-- Jobs accepted before this migration went to the outbox at once: they count as dispatched (in no lane).
update jobs set dispatched_at = created_at;

create table dispatch_queue (
    job_id      uuid        primary key references jobs (id) on delete cascade,
    tenant      text        not null,
    lane        text        not null,
    topic       text        not null,
    payload     text        not null,
    created_at  timestamptz not null
);
-- The dispatcher's read: the oldest waiting jobs of each tenant in a lane.
create index dispatch_queue_lane_idx on dispatch_queue (lane, tenant, created_at, job_id);

-- A lane's window: its dispatched jobs that have not ended, per tenant.
create index jobs_dispatch_window_idx on jobs (dispatch_lane, tenant)
    where dispatched_at is not null and status in ('QUEUED', 'RUNNING');
-- Quotas: a tenant's jobs queued or running (submissions per minute use jobs_tenant_page_idx).
create index jobs_tenant_active_idx on jobs (tenant) where status in ('QUEUED', 'RUNNING');
