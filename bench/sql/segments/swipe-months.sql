-- bench:segments: the month partitions of swipes, oldest first.
SELECT DISTINCT toYYYYMM(occurred_at) AS month FROM swipes ORDER BY month
