-- One account by user name, with its lock state (sign_in_account, db/functions/accounts.sql).
SELECT username, role, password_hash, disabled, failed_attempts, locked_until, locked
FROM sign_in_account(%(username)s)
