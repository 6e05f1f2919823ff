-- Which of these members may be sent something on this channel now: active members whose
-- current consent on it is granted. Everything that sends offers goes through this
-- (services/members/consent.ts); no row, a withdrawal, or a non-active account means no.
-- $1 text[] member ids, $2 channel ('email', 'sms', 'personalised_offers').
SELECT m.id
FROM members m
JOIN member_consents c ON c.member_id = m.id AND c.channel = $2 AND c.granted
WHERE m.id = ANY ($1::text[]) AND m.status = 'active'
ORDER BY m.id
