-- Whether the identity provider vouched for a user's email: only a verified email may bind a
-- membership that was addressed to that email.
alter table users add column email_verified boolean not null default false;
