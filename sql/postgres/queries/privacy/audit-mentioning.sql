-- Audit entries that an erasure must redact: about these members or their cards, done by
-- them, or whose record before or after holds one of the needles (card numbers, e-mail,
-- phone, name; any case). Scans the log's JSON: erasures are rare.
-- $1 text[] member ids, $2 text[] card numbers, $3 text[] needles (lower case).
SELECT id::text, entity_id, before, after
FROM audit_log a
WHERE a.entity_id = ANY ($1::text[] || $2::text[])
   OR (a.actor_type = 'member' AND a.actor_id = ANY ($1::text[]))
   OR EXISTS (
     SELECT 1 FROM unnest($3::text[]) AS n (needle)
     WHERE strpos(lower(coalesce(a.before::text, '') || ' ' || coalesce(a.after::text, '')), n.needle) > 0
   )
ORDER BY a.id
