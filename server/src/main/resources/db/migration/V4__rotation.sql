-- Key rotation (DESIGN §6). Progress lives in the data itself (which rows still name an old key),
-- so a job killed at any point resumes by looking again; key_rotations records what was started,
-- by whom, and how far it got, for the status endpoints.

alter table org_keys add column retired_at timestamptz;

alter table transport_keys add column grace_until timestamptz;
alter table transport_keys add column disabled_at timestamptz;

create table key_rotations (
    id           uuid primary key,
    org_id       uuid references organizations (id),
    tier         text        not null check (tier in ('org', 'transport', 'root')),
    from_key     text        not null,
    to_key       text        not null,
    trigger      text        not null,
    state        text        not null check (state in ('running', 'done')),
    rewrapped    bigint      not null default 0,
    started_at   timestamptz not null,
    finished_at  timestamptz
);
create index key_rotations_org on key_rotations (org_id, tier, started_at desc);
create index key_rotations_running on key_rotations (state) where state = 'running';
