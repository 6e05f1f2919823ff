-- Cards replaced by one of the old card numbers now name the pseudonym card (cards.replaced_by
-- references cards, so this comes before deleting them). $1 pseudonym, $2 text[] old numbers.
UPDATE cards SET replaced_by = $1 WHERE replaced_by = ANY ($2::text[])
