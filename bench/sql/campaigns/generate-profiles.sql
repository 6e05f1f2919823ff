-- bench:campaigns: one profile per member in the run {run_id}, as a profiles run would write
-- it, deterministic in the member's number: 1 to 40 visits, an average basket of 5 to 85, a
-- last visit 0 to 364 days ago, and three top categories out of 40 (the first one is the
-- member's personal category for a top_category offer). The other columns keep their defaults.
-- {run_id:UInt64}, {members:UInt64}, {as_of:DateTime64(3)}.
INSERT INTO member_profiles (run_id, member_id, visits, sales, spend, avg_basket, first_visit, last_visit,
                             days_since_last_visit, top_categories)
SELECT {run_id:UInt64},
       concat('mem_', leftPad(toString(number), 10, '0')),
       toUInt32(1 + number % 40) AS v,
       toDecimal64((5 + (number * 7919) % 80) * v, 2) AS s,
       s,
       toDecimal64(5 + (number * 7919) % 80, 2),
       {as_of:DateTime64(3)} - toIntervalDay(400),
       {as_of:DateTime64(3)} - toIntervalDay((number * 104729) % 365) AS last,
       toUInt32((number * 104729) % 365),
       [
         (concat('cat-', toString(number % 40)), toDecimal64(s * 5 / 10, 2), 0.5, 2.0),
         (concat('cat-', toString((number + 13) % 40)), toDecimal64(s * 3 / 10, 2), 0.3, 1.5),
         (concat('cat-', toString((number + 27) % 40)), toDecimal64(s * 2 / 10, 2), 0.2, 1.1)
       ]
FROM numbers({members:UInt64})
