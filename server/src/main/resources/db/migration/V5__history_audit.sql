-- Secret history (tags per version, crypto-shredding) and the tamper-evident audit trail.

-- Purge destroys a version's data key: the wrapped key is set to null and cannot come back.
alter table secret_versions alter column wrapped_data_key drop not null;
alter table secret_versions add column tags         text[] not null default '{}';
alter table secret_versions add column destroyed_at timestamptz;
alter table secrets add column purged_at timestamptz;

-- One row per audit record. Each org's records form a hash chain: hash = SHA-256 over the canonical
-- encoding of the record's fields and prev_hash (see dev.crate.server.audit.AuditChain). Never a
-- value, token or key.
create table audit_events (
    id          uuid        primary key,
    org_id      uuid        not null,
    seq         bigint      not null,
    occurred_at timestamptz not null,
    actor_type  text        not null,
    actor_id    text,
    actor_name  text,
    action      text        not null,
    environment text,
    name        text,
    version     integer,
    detail      text,
    outcome     text        not null,
    reason      text,
    client_ip   text,
    user_agent  text,
    request_id  text,
    prev_hash   bytea       not null,
    hash        bytea       not null,
    unique (org_id, seq)
);
create index audit_events_org_time on audit_events (org_id, occurred_at);

-- The head of each org's chain: the last seq and hash. Appenders lock this row, which orders the
-- chain under concurrent writers.
create table audit_heads (
    org_id uuid   primary key,
    seq    bigint not null,
    hash   bytea  not null
);

-- Where the chain starts after retention removed its oldest records: the seq and hash of the last
-- removed record, authenticated with an HMAC under a key derived from the org key.
create table audit_checkpoints (
    org_id          uuid        primary key,
    seq             bigint      not null,
    hash            bytea       not null,
    removed_before  timestamptz not null,
    org_key_version integer     not null,
    mac             bytea       not null,
    created_at      timestamptz not null
);
