-- Sets a member's consent per channel and appends a consent event for each real change
-- (giving again what is already given changes nothing and records nothing).
-- $1 member id, $2 JSON array of { channel, granted }, $3 when (timestamptz),
-- $4 source ('staff:usr_…', 'member', 'import').
WITH changed AS (
  INSERT INTO member_consents (member_id, channel, granted, changed_at, source)
  SELECT $1, t.channel, t.granted, $3, $4
  FROM json_to_recordset($2::json) AS t (channel text, granted boolean)
  ON CONFLICT (member_id, channel) DO UPDATE
    SET granted = EXCLUDED.granted, changed_at = EXCLUDED.changed_at, source = EXCLUDED.source
    WHERE member_consents.granted IS DISTINCT FROM EXCLUDED.granted
  RETURNING member_id, channel, granted, changed_at, source
)
INSERT INTO consent_events (member_id, channel, granted, at, source)
SELECT member_id, channel, granted, changed_at, source FROM changed
RETURNING channel, granted
