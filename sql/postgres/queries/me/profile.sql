-- A member's own profile (never the secret hash or sign-in counters), with their tier.
-- $1 member id.
SELECT m.id, m.status, m.name, m.email, m.phone, to_char(m.birthday, 'YYYY-MM-DD') AS birthday,
       m.preferred_store_id, m.registered_at, m.created_at, a.tier
FROM members m
LEFT JOIN point_accounts a ON a.member_id = m.id
WHERE m.id = $1
