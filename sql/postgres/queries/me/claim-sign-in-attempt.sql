-- Counts a sign-in attempt before its secret is checked, so parallel guesses cannot outrun
-- the lockout: at most SIGN_IN_MAX_FAILURES attempts are checked before the account locks.
-- The attempt that reaches the limit sets locked_until; a right secret then still resets it
-- (reset-sign-in-failures.sql). An expired lock starts the count again. Returns no row while
-- the account is locked.
-- $1 member id, $2 now (timestamptz), $3 max failures, $4 lockout seconds.
UPDATE members
SET failed_sign_ins = CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_sign_ins + 1 END,
    locked_until = CASE
      WHEN (CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_sign_ins + 1 END) >= $3::int
      THEN $2::timestamptz + make_interval(secs => $4::int)
    END
WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2::timestamptz)
RETURNING failed_sign_ins
