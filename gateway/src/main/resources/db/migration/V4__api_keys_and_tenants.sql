-- Tenants: every job belongs to the tenant of the API key that submitted it. Jobs from before keys existed belong
-- to the tenant 'default'. Idempotency keys are scoped to the tenant, so two tenants may use the same one.
alter table jobs add column tenant text not null default 'default';
alter table jobs drop constraint jobs_idempotency_key_key;
alter table jobs add constraint jobs_tenant_idempotency_key unique (tenant, idempotency_key);
create index jobs_tenant_page_idx on jobs (tenant, created_at desc, id desc);

-- API keys: only the SHA-256 of the secret is stored; a key is shown once, when it is created. Revoked keys stay
-- for the record (revoked_at set) and no longer authenticate.
create table api_keys (
    id          uuid        primary key,
    name        text        not null,
    tenant      text        not null,
    admin       boolean     not null default false,
    key_hash    char(64)    not null unique,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);
create index api_keys_tenant_idx on api_keys (tenant);
