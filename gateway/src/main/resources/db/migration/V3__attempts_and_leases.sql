-- The running attempt of a job and its lease: the worker that runs it renews lease_expires_at (HEARTBEAT); a lease
-- left to lapse means the worker was lost, and the lease reaper fails the job. A job handed to the next stage's
-- queue holds no lease (null) until that stage starts it.
alter table jobs add column attempt integer;
alter table jobs add column lease_expires_at timestamptz;
-- The reaper's scans: RUNNING jobs by lease expiry (expired first; null for those waiting in a queue).
create index jobs_lease_idx on jobs (status, lease_expires_at);
