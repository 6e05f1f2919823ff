-- Current consents of these members. $1 text[] member ids.
SELECT member_id, channel, granted, changed_at, source
FROM member_consents
WHERE member_id = ANY ($1::text[])
ORDER BY member_id, channel
