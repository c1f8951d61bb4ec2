-- Sealed values bound to their destination (docs/API.md, section 6; docs/SECURITY.md, "Sealed values are
-- bound to their destination"). An org refuses values sealed without a destination (no OAEP label, no
-- crate_* JWE claims) unless this is true. Organizations that exist when this migration runs keep
-- accepting them (their clients may follow the original docs' unbound form); new organizations refuse them.
alter table organizations add column allow_unbound_sealed_values boolean not null default true;
alter table organizations alter column allow_unbound_sealed_values set default false;
