-- Until when a locked account stays locked (for Retry-After). $1 member id.
SELECT locked_until FROM members WHERE id = $1
