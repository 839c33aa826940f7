-- Delete the jail_booking rows a batch inserted (rollback); returns how many.
WITH gone AS (DELETE FROM jail_booking WHERE batch_id = %(batch_id)s::bigint RETURNING 1)
SELECT count(*) FROM gone
