-- Where a finished job's time went (the worker's SUCCEEDED timings), warnings given at submission (e.g. a prompt
-- cut at 77 tokens), and the optional details of training progress (epoch, loss, images/s, ETA); all JSON text.
alter table jobs add column timings text;
alter table jobs add column warnings text;
alter table jobs add column progress_detail text;
