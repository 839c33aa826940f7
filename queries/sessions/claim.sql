-- Claim a session's one-time nonce for its HttpOnly cookie: ok once, else why not.
SELECT username, expires_at, outcome FROM session_claim(%(nonce_hash)s)
