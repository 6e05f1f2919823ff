-- Deletes the old card rows of an erased member (the pseudonym card replaces them).
-- $1 text[] old card numbers.
DELETE FROM cards WHERE card_number = ANY ($1::text[])
