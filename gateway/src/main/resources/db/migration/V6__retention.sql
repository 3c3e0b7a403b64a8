-- Retention (issue 15). A job being deleted is marked first: its storage data goes next, then its rows. A delete cut
-- short (storage down, the gateway stopped) leaves the mark, and the retention sweep finishes it.
alter table jobs add column deleting_at timestamptz;
create index jobs_deleting_idx on jobs (deleting_at) where deleting_at is not null;
-- The sweep's scan for finished jobs past the retention, oldest first.
create index jobs_finished_idx on jobs (finished_at) where finished_at is not null;
-- processed_events are pruned by age.
create index processed_events_age_idx on processed_events (processed_at);
