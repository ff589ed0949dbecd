-- Kiosk health and behaviour: the last heartbeat a tablet sent, and what a touchpoint's tablets
-- do when a respondent walks away mid-survey.
alter table devices add column heartbeat jsonb;
alter table devices add column heartbeat_at timestamptz;
alter table touchpoints add column idle_seconds integer not null default 45
	check (idle_seconds between 10 and 600);
alter table touchpoints add column idle_policy text not null default 'discard'
	check (idle_policy in ('discard', 'submit'));
