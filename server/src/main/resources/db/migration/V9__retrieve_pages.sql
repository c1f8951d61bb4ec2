-- A page of a retrieve without names (docs/API.md, section 5) reads the live secrets of one environment
-- after a name, in byte order, up to a limit: with this index that is a range scan of one page, whatever
-- the size of the environment, instead of a sort of all of it.
create index secrets_live_by_name on secrets (org_id, environment, name collate "C") where deleted_at is null;
