-- The secret change stream (docs/API.md, section 5b): one row per change, never a value. Inserted by
-- events.SecretEvents in the change's own transaction (after its audit record, so the ids of one org grow
-- in commit order); the id is the stream's event id. Rows older than crate.events.retention are deleted.
create table secret_events (
    id          bigserial   primary key,
    org_id      uuid        not null references organizations (id),
    environment text        not null,
    name        text        not null,
    version     integer     not null,
    action      text        not null
        check (action in ('stored', 'deleted', 'restored', 'rolled_back', 'purged')),
    tags        text[]      not null default '{}',
    at          timestamptz not null
);

create index secret_events_org_id on secret_events (org_id, id);
create index secret_events_at on secret_events (at);

-- The highest event id retention has deleted: a resume from an older id may have missed events (a gap).
create table secret_event_horizon (
    only_row      boolean primary key default true check (only_row),
    deleted_up_to bigint  not null
);

insert into secret_event_horizon (only_row, deleted_up_to) values (true, 0);
