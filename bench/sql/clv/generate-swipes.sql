-- bench:clv: the purchases of {members} members drawn from the BG/NBD and Gamma-Gamma processes
-- with known parameters (weeks; Fader, Hardie & Lee 2005 §2, Fader & Hardie 2013), written as
-- the shipper writes swipes (sales of one line; the CLV SQL reads only swipes).
-- Per member i:
--   λ ~ Gamma(r, α) per week        = χ²(2r) / 2α        (purchase rate while alive)
--   p ~ Beta(a, b)                  = χ²(2a) / (χ²(2a) + χ²(2b))   (dropout after a repeat purchase)
--   ν ~ Gamma(q, γ)                 = χ²(2q) / 2γ        (spend scale)
--   first purchase {days} days or fewer before as_of's date (hash of i), T = that age in days;
--   repeat purchases at the times of a Poisson process of rate λ (exponential gaps from hashes
--   of (i, j)) before T, the customer dropping out after the K-th, K ~ Geometric(p) (hash of i);
--   each purchase spends z ~ Gamma(p_gg, ν), p_gg a whole number: the sum of p_gg exponential
--   draws of rate ν (hashes of (i, purchase, k)), in cents (at least 0.01). A rand function
--   cannot draw it: ClickHouse evaluates randChiSquared before arrayJoin, once per member.
-- A purchase at continuous time t is a sale on day floor(t) at 08:00-21:00 UTC. The rates,
-- dropouts and spend scales are ClickHouse's random draws (randChiSquared: different every
-- run); ages, gaps and dropout points are hashes of the member (the same every run).
-- Params: members UInt64, days UInt32, as_of DateTime64(3, 'UTC'), two_r, alpha, two_a, two_b,
--         two_q, gamma Float64 (the four χ² degrees must differ, or ClickHouse would compute
--         one draw for two of them), p_gg UInt32.
INSERT INTO swipes (journal_seq, store_id, txn_id, card_number, terminal_id, occurred_at, utc_offset_minutes,
                    currency, kind, original_txn_id, total, discount_total, line_count, coupon_codes, received_at)
SELECT
  member * 100000 + k + 1,
  concat('sto_', leftPad(toString(1 + cityHash64(member, 10) % 200), 4, '0')),
  concat('C', toString(member), '-', toString(k)),
  concat('7', leftPad(toString(member), 12, '0')),
  'till-1',
  toDateTime64(first_day + toUInt32(floor(day_offset)), 3, 'UTC') + toIntervalMinute(8 * 60 + cityHash64(member, k, 11) % (13 * 60)) AS at,
  0, 'EUR', 'sale', '',
  toDecimal64(greatest(0.01, round(arraySum(arrayMap(e -> -log((cityHash64(member, k, e, 4) % 4294967296 + 0.5) / 4294967296), range({p_gg:UInt32}))) / nu, 2)), 2),
  0, 1, [], at + toIntervalSecond(5)
FROM
(
  SELECT member, nu, first_day, arrayJoin(arrayZip(range(length(offsets)), offsets)) AS ko, ko.1 AS k, ko.2 AS day_offset
  FROM
  (
    SELECT
      number AS member,
      randChiSquared({two_r:Float64}) / (2 * {alpha:Float64}) / 7 AS lambda_day,
      randChiSquared({two_a:Float64}) AS ga,
      randChiSquared({two_b:Float64}) AS gb,
      ga / (ga + gb) AS p_drop,
      randChiSquared({two_q:Float64}) / (2 * {gamma:Float64}) AS nu,
      toUInt32(cityHash64(number, 1) % {days:UInt32}) AS age_days,
      toDate({as_of:DateTime64(3, 'UTC')}) - age_days AS first_day,
      (cityHash64(number, 2) % 4294967296 + 0.5) / 4294967296 AS u_drop,
      -- the repeat purchase after which the member drops out (1, 2, …)
      greatest(1, least(100000, ceil(log(u_drop) / log1p(-p_drop)))) AS k_drop,
      -- enough gaps to pass T (the Poisson count's mean + 8 sd + 10), never past the dropout
      toUInt32(least(k_drop, ceil(lambda_day * age_days + 8 * sqrt(lambda_day * age_days) + 10))) AS n_max,
      arrayCumSum(arrayMap(j -> -log((cityHash64(number, j, 3) % 4294967296 + 0.5) / 4294967296) / lambda_day, range(n_max))) AS times,
      arrayConcat([0.], arrayFilter(t -> t < age_days, times)) AS offsets
    FROM numbers({members:UInt64})
  )
)
SETTINGS insert_deduplicate = 0
