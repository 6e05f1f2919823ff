-- Counts a wrong password. The failure that reaches the limit locks the account until $3 and
-- restarts the count, so after the lockout the user has the full number of tries again.
-- $1 user id, $2 failures allowed in a row, $3 locked until (timestamptz).
UPDATE staff_users
SET failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= $2 THEN 0 ELSE failed_sign_ins + 1 END,
    locked_until    = CASE WHEN failed_sign_ins + 1 >= $2 THEN $3 ELSE locked_until END
WHERE id = $1
RETURNING locked_until
