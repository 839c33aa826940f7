-- End every open session of an account; returns how many ended.
SELECT session_end_all(%(username)s, %(reason)s)
