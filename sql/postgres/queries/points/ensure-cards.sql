-- Gives every card seen for the first time an anonymous member of its own with a points
-- account on the entry tier, so points have an owner from the first swipe (registering later
-- fills in who it is). Cards in sorted order so concurrent writers lock them in one order.
-- $1 text[] card numbers, $2 text[] the store each was first seen at (same order),
-- $3 the lowest tier's code (where every new account starts, also as its floor).
WITH new_cards AS (
  INSERT INTO cards (card_number, first_store_id, member_id)
  SELECT c.card, c.store, 'mem_' || replace(gen_random_uuid()::text, '-', '')
  FROM unnest($1::text[], $2::text[]) AS c (card, store)
  ORDER BY c.card
  ON CONFLICT (card_number) DO NOTHING
  RETURNING member_id, first_seen_at
), new_members AS (
  INSERT INTO members (id, created_at)
  SELECT member_id, first_seen_at FROM new_cards
  RETURNING id
)
INSERT INTO point_accounts (member_id, tier, tier_floor, tier_since)
SELECT id, $3, $3, now() FROM new_members
