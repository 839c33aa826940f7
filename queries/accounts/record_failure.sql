-- Count a failed sign-in; the limit-th failure in a row locks the account for a while
-- (and starts the count again for when the lock ends).
UPDATE app_account
SET failed_attempts = CASE WHEN failed_attempts + 1 >= %(limit)s::integer
                           THEN 0 ELSE failed_attempts + 1 END,
    locked_until = CASE WHEN failed_attempts + 1 >= %(limit)s::integer
                        THEN now() + make_interval(mins => %(lock_minutes)s::integer)
                        ELSE locked_until END
WHERE username = %(username)s
RETURNING coalesce(locked_until > now(), false) AS locked
