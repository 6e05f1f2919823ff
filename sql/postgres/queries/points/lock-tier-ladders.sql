-- Serialises edits of the tier ladder (as lock-rule-sets.sql does for the rules).
LOCK TABLE tier_ladders IN SHARE ROW EXCLUSIVE MODE
