-- Open a session for a signed-in account with its one-time cookie nonce (session_open, db/functions/sessions.sql).
SELECT session_open(%(token_hash)s, %(username)s, %(method)s, %(lifetime_minutes)s,
                    %(nonce_hash)s, %(nonce_seconds)s)
