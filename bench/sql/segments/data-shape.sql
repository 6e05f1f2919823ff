-- bench:segments: what the generated swipes look like inside the RFM window, for the log.
-- Params: as_of DateTime64(3, 'UTC'), window_days UInt32.
SELECT
  toString(sum(c)) AS swipe_rows_before_final,
  toString(count()) AS cards,
  concat(toString(round(sum(r) / sum(c) * 100, 1)), ' %') AS returns,
  concat(toString(round(sum(cp) / sum(c) * 100, 1)), ' %') AS with_coupon,
  arrayStringConcat(arrayMap(x -> toString(toUInt32(x)), quantilesExact(0.1, 0.5, 0.9, 0.99)(c)), '/') AS swipes_per_card_p10_p50_p90_p99,
  toString(max(c)) AS swipes_per_card_max
FROM (
  SELECT card_number, count() AS c, countIf(kind = 'return') AS r, countIf(notEmpty(coupon_codes)) AS cp
  FROM swipes
  WHERE occurred_at > {as_of:DateTime64(3, 'UTC')} - toIntervalDay({window_days:UInt32})
    AND occurred_at <= {as_of:DateTime64(3, 'UTC')}
  GROUP BY card_number
)
