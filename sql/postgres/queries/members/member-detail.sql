-- A member with everything staff see on one screen: profile, cards, consents, balance and
-- tier, and the members merged into them. $1 member id.
SELECT m.id, m.status, m.name, m.email, m.phone, m.birthday::text AS birthday, m.preferred_store_id,
       m.merged_into, m.secret_hash IS NOT NULL AS has_secret, m.created_at, m.registered_at, m.updated_at,
       coalesce(a.balance, 0)::text AS balance, a.tier,
       coalesce((SELECT json_agg(json_build_object('card_number', c.card_number, 'status', c.status,
                                                   'first_seen_at', c.first_seen_at, 'blocked_at', c.blocked_at,
                                                   'replaced_by', c.replaced_by)
                                 ORDER BY c.first_seen_at, c.card_number)
                 FROM cards c WHERE c.member_id = m.id), '[]') AS cards,
       coalesce((SELECT json_agg(json_build_object('channel', k.channel, 'granted', k.granted,
                                                   'changed_at', k.changed_at, 'source', k.source))
                 FROM member_consents k WHERE k.member_id = m.id), '[]') AS consents,
       coalesce((SELECT array_agg(x.id ORDER BY x.id) FROM members x WHERE x.merged_into = m.id), '{}') AS merged_from
FROM members m
LEFT JOIN point_accounts a ON a.member_id = m.id
WHERE m.id = $1
