-- Writes redacted audit entries back. The audit log is otherwise append-only; erasure is the
-- one writer allowed to change it, because the law requires the personal data gone.
-- $1 JSON array [{ id, entity_id, before, after }].
UPDATE audit_log a
SET entity_id = r.entity_id, before = r.before, after = r.after
FROM json_to_recordset($1::json) AS r (id bigint, entity_id text, before jsonb, after jsonb)
WHERE a.id = r.id
