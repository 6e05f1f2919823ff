-- bench:segments: the swipes the Postgres baseline reads (the columns RFM needs), read as the
-- analytics SQL reads them (FINAL: a re-sent batch counts once), for one month partition, as
-- TabSeparated in bench_swipes' column order. Params: month UInt32 (YYYYMM).
SELECT card_number, concat(toString(occurred_at), '+00'), kind, signed_total
FROM swipes FINAL
WHERE toYYYYMM(occurred_at) = {month:UInt32}
FORMAT TabSeparated
