-- Crate core schema. Stored blobs are ciphertext only (see DESIGN §3); nothing here holds a
-- plaintext value, a plaintext key or an API key.

create table organizations (
    id          uuid primary key,
    name        text        not null unique,
    created_at  timestamptz not null
);

-- Tier 2: org keys, each wrapped by the root key (root_kid names which one).
create table org_keys (
    id          uuid primary key,
    org_id      uuid        not null references organizations (id),
    version     integer     not null,
    root_kid    text        not null,
    wrapped_key bytea       not null,
    state       text        not null check (state in ('active', 'retiring', 'retired')),
    wrap_count  bigint      not null default 0,
    created_at  timestamptz not null,
    unique (org_id, version)
);
create unique index org_keys_one_active on org_keys (org_id) where state = 'active';

-- RSA transport key pairs; private half (PKCS#8) wrapped by an org key.
create table transport_keys (
    id                  uuid primary key,
    org_id              uuid        not null references organizations (id),
    kid                 text        not null unique,
    public_key          bytea       not null,
    org_key_version     integer     not null,
    wrapped_private_key bytea       not null,
    state               text        not null check (state in ('active', 'grace', 'disabled')),
    created_at          timestamptz not null
);
create unique index transport_keys_one_active on transport_keys (org_id) where state = 'active';

create table environments (
    id          uuid primary key,
    org_id      uuid        not null references organizations (id),
    name        text        not null,
    builtin     boolean     not null default false,
    created_at  timestamptz not null,
    unique (org_id, name)
);

create table tags (
    id          uuid primary key,
    org_id      uuid        not null references organizations (id),
    name        text        not null,
    color       text,
    description text,
    created_at  timestamptz not null,
    unique (org_id, name)
);

create table secrets (
    id              uuid primary key,
    org_id          uuid        not null references organizations (id),
    environment     text        not null,
    name            text        not null,
    current_version integer     not null,
    tags            text[]      not null default '{}',
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    deleted_at      timestamptz,
    unique (org_id, environment, name),
    foreign key (org_id, environment) references environments (org_id, name)
);
create index secrets_tags on secrets using gin (tags);

-- Tier 3: one data key per version, wrapped by the org key; the value encrypted under it.
create table secret_versions (
    id               uuid primary key,
    secret_id        uuid        not null references secrets (id),
    version          integer     not null,
    org_key_version  integer     not null,
    wrapped_data_key bytea       not null,
    ciphertext       bytea       not null,
    created_at       timestamptz not null,
    created_by       text        not null,
    unique (secret_id, version)
);

create table api_keys (
    id           uuid primary key,
    org_id       uuid        not null references organizations (id),
    name         text        not null,
    role         text        not null check (role in ('admin', 'member', 'viewer')),
    prefix       text        not null,
    key_hash     bytea       not null unique,
    created_at   timestamptz not null,
    created_by   text        not null,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
create index api_keys_org on api_keys (org_id);
