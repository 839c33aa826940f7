-- Wait for the release refresh lock (one refresh at a time; held until unlock or the session ends).
SELECT pg_advisory_lock(%(key)s::bigint)
