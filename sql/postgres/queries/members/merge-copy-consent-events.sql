-- Merge: the source's consent history is copied to the target (with its original times and
-- sources), so the target's record still proves when each consent it now holds was given.
-- $1 target member id, $2 source member id.
INSERT INTO consent_events (member_id, channel, granted, at, source)
SELECT $1, channel, granted, at, source FROM consent_events WHERE member_id = $2 ORDER BY id
