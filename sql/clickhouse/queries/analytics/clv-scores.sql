-- Each member's value (docs/clv.md "Per member"): the BG/NBD figures of its history from
-- clv_histories, and the Gamma-Gamma expected spend per visit,
--   E[M | x, m] = p (γ + x m) / (p x + q − 1), or the mean p γ / (q − 1) when x = 0 or m ≤ 0
-- (keep in sync with services/clv/gamma-gamma.ts). With spend_ok = 0 (no usable Gamma-Gamma
-- fit) spend and CLV are NULL; so is a CLV that is not a finite number (a BG/NBD fit that did
-- not converge can leave expected visits NaN).
-- Params: run_id UInt64, p Float64, q Float64, gamma Float64, spend_ok UInt8.
INSERT INTO clv_scores
SELECT
  {run_id:UInt64},
  m.member_id,
  m.x,
  m.tx_days,
  m.t_days,
  m.m,
  h.p_alive,
  h.expected_visits_30,
  h.expected_visits_90,
  h.expected_visits_365,
  if({spend_ok:UInt8} = 1,
     if(m.x > 0 AND m.m > 0,
        {p:Float64} * ({gamma:Float64} + m.x * m.m) / ({p:Float64} * m.x + {q:Float64} - 1),
        {p:Float64} * {gamma:Float64} / ({q:Float64} - 1)),
     NULL) AS spend_per_visit,
  -- To cents half away from zero, as a Decimal (a Float rounded then converted would truncate
  -- 34.41 to 34.40). toDecimal64 is evaluated on every row, even where if() answers NULL, so
  -- it gets a finite 0 there.
  if(isFinite(spend_per_visit * h.discounted_visits),
     round(toDecimal64(if(isFinite(spend_per_visit * h.discounted_visits), spend_per_visit * h.discounted_visits, 0), 6), 2),
     NULL),
  1 - h.p_alive AS risk,
  multiIf(risk < 0.3, 'low', risk < 0.7, 'medium', 'high')
FROM (SELECT * FROM clv_members WHERE run_id = {run_id:UInt64}) AS m
INNER JOIN (SELECT * FROM clv_histories WHERE run_id = {run_id:UInt64}) AS h
  ON m.x = h.x AND m.tx_days = h.tx_days AND m.t_days = h.t_days
