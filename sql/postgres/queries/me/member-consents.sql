-- A member's current consent per channel (no row: never given). $1 member id.
SELECT channel, granted, changed_at, source
FROM member_consents
WHERE member_id = $1
ORDER BY channel
