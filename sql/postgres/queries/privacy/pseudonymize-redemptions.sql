-- Redemptions keep their points and member, under the pseudonym card.
-- $1 pseudonym, $2 text[] old card numbers.
UPDATE redemptions SET card_number = $1 WHERE card_number = ANY ($2::text[])
