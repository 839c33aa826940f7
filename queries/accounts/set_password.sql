-- Give an account a new password hash and clear its failures and lock; returns the user name.
UPDATE app_account
SET password_hash = %(password_hash)s::text, password_set_at = now(),
    failed_attempts = 0, locked_until = NULL
WHERE username = %(username)s::text
RETURNING username
