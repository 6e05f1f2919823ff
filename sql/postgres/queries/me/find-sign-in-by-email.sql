-- The account an e-mail address signs in to (any case): only an active member who has set a
-- PIN or password. $1 e-mail address.
SELECT id, secret_hash
FROM members
WHERE lower(email) = lower($1) AND status = 'active' AND secret_hash IS NOT NULL
