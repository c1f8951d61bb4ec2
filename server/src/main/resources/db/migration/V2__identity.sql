-- Users from the OpenID Connect provider, org memberships with per-environment grants,
-- and scoped API keys.

create table users (
    id           uuid primary key,
    subject      text        not null unique,
    email        text,
    name         text,
    created_at   timestamptz not null,
    last_seen_at timestamptz not null
);

-- A membership names a user by subject, or (until that user is first seen with a verified
-- email) by email only.
create table members (
    id          uuid primary key,
    org_id      uuid        not null references organizations (id),
    subject     text,
    email       text,
    role        text        not null check (role in ('admin', 'member', 'viewer')),
    grants      text[]      not null default '{}',
    created_at  timestamptz not null,
    created_by  text        not null,
    check (subject is not null or email is not null)
);
create unique index members_org_subject on members (org_id, subject) where subject is not null;
create unique index members_org_email on members (org_id, lower(email)) where subject is null;

alter table api_keys add column grants       text[]  not null default '{}';
alter table api_keys add column environments text[];
alter table api_keys add column tags         text[];
alter table api_keys add column read_only    boolean not null default false;
