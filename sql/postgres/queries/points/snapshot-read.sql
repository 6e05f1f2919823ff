-- Makes the current transaction read one snapshot for all its statements (a report whose
-- figures must agree with each other). Must be the transaction's first statement.
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY
