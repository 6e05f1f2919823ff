-- Appends one audit record. $1 actor type, $2 actor id, $3 action, $4 entity type,
-- $5 entity id, $6 before (jsonb text or null), $7 after (jsonb text or null), $8 request id.
INSERT INTO audit_log (actor_type, actor_id, action, entity_type, entity_id, before, after, request_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
