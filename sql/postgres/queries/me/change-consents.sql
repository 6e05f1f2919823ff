-- Sets a member's consents and records each change as a consent event, in one statement.
-- Channels whose state does not change are left alone (no event). Run after locking the member (members/lock-members.sql)
-- so concurrent changes of one member take turns. Returns each change with its state before
-- (null: never given).
-- $1 member id, $2 JSON array [{ channel, granted }], $3 source ('member', 'staff:usr_…'),
-- $4 now (timestamptz).
WITH wanted AS (
  SELECT w.channel, w.granted FROM json_to_recordset($2::json) AS w (channel text, granted boolean)
), changes AS (
  SELECT w.channel, w.granted, c.granted AS was
  FROM wanted w
  LEFT JOIN member_consents c ON c.member_id = $1 AND c.channel = w.channel
  WHERE c.granted IS DISTINCT FROM w.granted
), saved AS (
  INSERT INTO member_consents (member_id, channel, granted, changed_at, source)
  SELECT $1, channel, granted, $4::timestamptz, $3 FROM changes
  ON CONFLICT (member_id, channel) DO UPDATE
    SET granted = excluded.granted, changed_at = excluded.changed_at, source = excluded.source
), events AS (
  INSERT INTO consent_events (member_id, channel, granted, at, source)
  SELECT $1, channel, granted, $4::timestamptz, $3 FROM changes ORDER BY channel
)
SELECT channel, granted, was FROM changes ORDER BY channel
