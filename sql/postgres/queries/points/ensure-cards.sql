-- Gives every card seen for the first time an anonymous member of its own (with its points
-- account, opened by the members_open_point_accounts trigger), so points have an owner from
-- the first swipe; registering later fills in who it is. Cards in sorted order so concurrent
-- writers lock them in one order.
-- $1 text[] card numbers, $2 text[] the store each was first seen at (same order).
WITH new_cards AS (
  INSERT INTO cards (card_number, first_store_id, member_id)
  SELECT c.card, c.store, 'mem_' || replace(gen_random_uuid()::text, '-', '')
  FROM unnest($1::text[], $2::text[]) AS c (card, store)
  ORDER BY c.card
  ON CONFLICT (card_number) DO NOTHING
  RETURNING member_id, first_seen_at
)
INSERT INTO members (id, created_at)
SELECT member_id, first_seen_at FROM new_cards
