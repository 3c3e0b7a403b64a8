-- The final event (JSON) a worker kind recorded with its finish, before it published it: a later delivery of the same
-- request publishes it again instead of running the job again, so a worker that dies between the two still ends the
-- job exactly once (the gateway applies an event id once).
alter table attempts add column final_event text;
