-- Records cards seen for the first time, as anonymous cards. Existing cards are left alone.
-- $1 store id, $2 text[] card numbers (distinct, sorted so concurrent batches lock in one order).
INSERT INTO cards (card_number, first_store_id)
SELECT card, $1 FROM unnest($2::text[]) AS card
ON CONFLICT (card_number) DO NOTHING
