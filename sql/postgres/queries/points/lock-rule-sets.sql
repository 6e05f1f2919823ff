-- Serialises edits of the earning rules: a PUT checks history against the newest version and
-- must not race another PUT. SHARE ROW EXCLUSIVE conflicts with itself and with inserts, not
-- with plain reads, so scoring swipes never waits for it.
LOCK TABLE earning_rule_sets IN SHARE ROW EXCLUSIVE MODE
