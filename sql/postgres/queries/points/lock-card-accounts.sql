-- The member and locked points account behind each card, in member id order (the order every
-- writer locks accounts in), with the member's net spend over the rolling 12 months: the days
-- after today minus 12 months, as the balance page and the tier review count them (the window's
-- first excluded day is returned too). Locking the card too means a concurrent merge that
-- re-points it makes this row drop out (the caller then retries). Cards not yet known return
-- no row. $1 text[] card numbers, $2 today (date, UTC).
SELECT c.card_number, c.status AS card_status, m.id AS member_id, m.status AS member_status,
       a.balance, a.tier, a.tier_floor,
       ($2::date - interval '12 months')::date::text AS window_start,
       (SELECT coalesce(sum(s.amount), 0)::text FROM member_daily_spend s
         WHERE s.member_id = a.member_id AND s.day > ($2::date - interval '12 months')::date) AS spend_12m
FROM cards c
JOIN members m ON m.id = c.member_id
JOIN point_accounts a ON a.member_id = c.member_id
WHERE c.card_number = ANY ($1::text[])
ORDER BY a.member_id
FOR UPDATE OF a, c
