-- When a consumer finished a job (reported its final event or handed it on): a later delivery of the same request
-- (an outbox message published twice across a broker outage, an offset replayed) is skipped instead of run again.
alter table attempts add column finished_at timestamptz;
