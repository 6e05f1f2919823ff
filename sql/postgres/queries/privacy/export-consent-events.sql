-- Every consent change of these members, oldest first. $1 text[] member ids.
SELECT id::text, member_id, channel, granted, at, source
FROM consent_events
WHERE member_id = ANY ($1::text[])
ORDER BY consent_events.id
