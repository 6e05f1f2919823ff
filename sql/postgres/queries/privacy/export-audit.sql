-- Audit entries about these members or their cards, or done by them. $1 text[] member ids,
-- $2 text[] card numbers.
SELECT id::text, at, actor_type, actor_id, action, entity_type, entity_id, before, after, request_id
FROM audit_log
WHERE entity_id = ANY ($1::text[] || $2::text[])
   OR (actor_type = 'member' AND actor_id = ANY ($1::text[]))
ORDER BY audit_log.id
