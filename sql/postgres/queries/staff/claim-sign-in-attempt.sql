-- Counts a staff sign-in attempt before its password is checked, so parallel guesses cannot
-- outrun the lockout: at most SIGN_IN_MAX_FAILURES attempts are checked before the account
-- locks. The attempt that reaches the limit sets locked_until; a right password then still
-- resets it (record-sign-in.sql). An expired lock starts the count again. Returns no row while
-- the account is locked. Same rule as members (keep in sync with me/claim-sign-in-attempt.sql).
-- $1 staff user id, $2 now (timestamptz), $3 max failures, $4 lockout seconds.
UPDATE staff_users
SET failed_sign_ins = CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_sign_ins + 1 END,
    locked_until = CASE
      WHEN (CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_sign_ins + 1 END) >= $3::int
      THEN $2::timestamptz + make_interval(secs => $4::int)
    END
WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2::timestamptz)
RETURNING failed_sign_ins, locked_until
