-- Takes the session-level lock that lets one run at a time rewrite a member's ClickHouse rows
-- (two runs could both copy the same rows). Session-level, not a transaction: a transaction
-- held open meanwhile would stall the shipper, which erasure waits for. Released by
-- release-erasure-lock.sql or when the connection ends (a crash). $1 member id.
SELECT pg_try_advisory_lock(hashtextextended('member-erasure:' || $1, 0)) AS locked
