-- Takes a redemption's discount from its campaign's budget, if the budget covers it: one
-- conditional update under the campaign row's lock, so concurrent redemptions together never
-- spend more than the budget. No row returned: the budget is exhausted (nothing changed).
-- $1 bigint campaign id, $2 bigint discount in cents.
UPDATE campaigns
SET spent_cents = spent_cents + $2
WHERE id = $1 AND (budget_cents IS NULL OR spent_cents + $2 <= budget_cents)
RETURNING id
