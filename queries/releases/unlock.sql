-- Release the release refresh lock.
SELECT pg_advisory_unlock(%(key)s::bigint)
