-- Exports read a unit's responses of a survey in date order, flagged ones included, page by page
-- from (date, id) onwards: an index range on this key, where the results index (unflagged rows
-- only) left each page a scan of the whole survey (npm run bench: a million rows never finished).
create index responses_export on responses (survey_id, unit_code, local_date, id);
