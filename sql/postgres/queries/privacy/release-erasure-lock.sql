-- Releases try-erasure-lock.sql's lock. $1 member id.
SELECT pg_advisory_unlock(hashtextextended('member-erasure:' || $1, 0)) AS released
