-- A good sign-in clears the failure count and any expired lock.
UPDATE app_account SET failed_attempts = 0, locked_until = NULL, last_sign_in = now()
WHERE username = %(username)s
