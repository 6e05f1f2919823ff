-- The first statement of an export's transaction: every read sees one snapshot, so the parts
-- of the document agree with each other (the ledger with the balance, the cards with the
-- swipes). No parameters.
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY
