-- Check a session and the account's current role and state; 'ok' also marks it seen now.
SELECT username, role, method, outcome FROM session_touch(%(token_hash)s, %(idle_minutes)s)
