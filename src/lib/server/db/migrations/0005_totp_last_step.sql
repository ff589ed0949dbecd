-- The last TOTP time step a user signed in with: a code is good once, not for its whole window.
alter table users add column totp_last_step bigint;
