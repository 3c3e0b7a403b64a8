-- Named references to blobs: a caller's key (e.g. the hash of an encoder pack and a prompt) to a blob address.
-- Used as a content-addressed cache: a key is written once and never changes.
create table refs (
    namespace   text        not null,
    key         text        not null,
    sha256      char(64)    not null references blobs (sha256),
    created_at  timestamptz not null default now(),
    primary key (namespace, key)
);
