-- Workload identity (docs/API.md, section 14): bindings of an external issuer's tokens to a scope,
-- the short-lived Crate tokens exchanged for them (hashes only), and the platform tokens already
-- exchanged (a repeat exchange ends when the first Crate token does).

create table workload_identities (
    id                uuid primary key,
    org_id            uuid        not null references organizations (id),
    name              text        not null,
    issuer            text        not null,
    audience          text        not null,
    subject           text        not null,
    -- JSON object: claim name -> exact value or glob
    claims            text        not null default '{}',
    role              text        not null check (role in ('admin', 'member', 'viewer')),
    grants            text[]      not null default '{}',
    environments      text[],
    tags              text[],
    read_only         boolean     not null default false,
    token_ttl_seconds integer     not null check (token_ttl_seconds between 60 and 43200),
    created_at        timestamptz not null,
    created_by        text        not null,
    updated_at        timestamptz
);
create index workload_identities_org_issuer on workload_identities (org_id, issuer, created_at);

-- A token dies with its binding: deleting the binding deletes its tokens.
create table workload_tokens (
    id          uuid        primary key,
    token_hash  bytea       not null unique,
    binding_id  uuid        not null references workload_identities (id) on delete cascade,
    org_id      uuid        not null references organizations (id),
    subject     text        not null,
    created_at  timestamptz not null,
    expires_at  timestamptz not null
);
create index workload_tokens_binding on workload_tokens (binding_id);
create index workload_tokens_expires on workload_tokens (expires_at);

-- Platform tokens already exchanged, by issuer and jti (or the token's SHA-256 when it has no jti),
-- kept until the platform token itself expires. A repeat exchange is allowed until crate_expires_at
-- (when the first Crate token issued for it ends) and gets a token ending then, never later.
create table workload_exchanged (
    issuer      text        not null,
    token_id    text        not null,
    expires_at  timestamptz not null,
    crate_expires_at timestamptz not null,
    primary key (issuer, token_id)
);
create index workload_exchanged_expires on workload_exchanged (expires_at);
