-- Until when a locked staff account stays locked (for Retry-After). $1 staff user id.
SELECT locked_until FROM staff_users WHERE id = $1
