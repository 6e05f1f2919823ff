-- Merge: per channel, the more recent decision of the two members stands on the target (a
-- newer "no" beats an older "yes" and the other way round); the source keeps none.
-- $1 target member id, $2 source member id.
WITH moved AS (
  DELETE FROM member_consents WHERE member_id = $2 RETURNING channel, granted, changed_at, source
)
INSERT INTO member_consents (member_id, channel, granted, changed_at, source)
SELECT $1, channel, granted, changed_at, source FROM moved
ON CONFLICT (member_id, channel) DO UPDATE
  SET granted = EXCLUDED.granted, changed_at = EXCLUDED.changed_at, source = EXCLUDED.source
  WHERE member_consents.changed_at < EXCLUDED.changed_at
RETURNING channel
