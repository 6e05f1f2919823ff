-- Records a redemption; UNIQUE (store_id, request_id) refuses a second with the same key.
-- $1 id (red_…), $2 store id, $3 request id, $4 member id, $5 card number, $6 points,
-- $7 ledger id of its 'redeem' entry, $8 created at.
INSERT INTO redemptions (id, store_id, request_id, member_id, card_number, points, ledger_id, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
