-- A successful sign-in: the count of failures in a row starts again. $1 user id.
UPDATE staff_users SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1
