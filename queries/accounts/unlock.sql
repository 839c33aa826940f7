-- End an account's lock and clear its failure count; returns the user name.
UPDATE app_account SET failed_attempts = 0, locked_until = NULL
WHERE username = %(username)s::text
RETURNING username
