-- The card numbers of these members (locked: erasure replaces them). $1 text[] member ids.
SELECT card_number FROM cards WHERE member_id = ANY ($1::text[]) ORDER BY card_number FOR UPDATE
