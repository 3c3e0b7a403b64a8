-- Blob bytes are stored out of line without compression (ADR 0004, amended by ADR 0027). PostgreSQL's default for a
-- bytea, EXTENDED, runs pglz over every value: PNGs are compressed already, and float tensors (prompt embeddings,
-- output tensors) do not compress: pglz took the insert of a 1.26 MB embedding of dense floats from 5-9 ms to
-- 19-21 ms here and kept nothing. Rows stored before keep their form; new ones are written as they come.
alter table blobs alter column data set storage external;
