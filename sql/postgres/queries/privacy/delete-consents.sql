-- An erased member's current consents go (nothing is ever sent to them again); the consent
-- events stay as the record of what was allowed when (docs/privacy.md). $1 text[] member ids.
DELETE FROM member_consents WHERE member_id = ANY ($1::text[])
