-- End a session (sign-out): its cookie opens nothing from now on.
SELECT session_end(%(token_hash)s, %(reason)s)
