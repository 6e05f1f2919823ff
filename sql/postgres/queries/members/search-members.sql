-- Members matching every given filter, a page in id order. $1 e-mail (exact, any case) or
-- null, $2 card number (any of the member's cards, blocked too) or null, $3 ILIKE pattern
-- matched against name, e-mail and phone (wildcards in the user's text escaped) or null,
-- $4 the last id of the previous page or null, $5 page size.
SELECT m.id, m.status, m.name, m.email, m.phone, m.registered_at, m.merged_into,
       coalesce((SELECT array_agg(c.card_number ORDER BY c.first_seen_at, c.card_number)
                 FROM cards c WHERE c.member_id = m.id), '{}') AS card_numbers
FROM members m
WHERE ($1::text IS NULL OR lower(m.email) = lower($1))
  AND ($2::text IS NULL OR m.id = (SELECT member_id FROM cards WHERE card_number = $2))
  AND ($3::text IS NULL OR m.name ILIKE $3 OR m.email ILIKE $3 OR m.phone ILIKE $3)
  AND ($4::text IS NULL OR m.id > $4)
ORDER BY m.id
LIMIT $5
