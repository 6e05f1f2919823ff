-- A right secret: the failures in a row start again from zero. $1 member id.
UPDATE members SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1
