-- One account by user name, with its lock state.
SELECT username, role, password_hash, disabled, failed_attempts, locked_until,
       locked_until IS NOT NULL AND locked_until > now() AS locked
FROM app_account WHERE username = %(username)s
