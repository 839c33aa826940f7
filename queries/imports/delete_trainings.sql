-- Delete the training rows a batch inserted (rollback); returns how many.
WITH gone AS (DELETE FROM training WHERE batch_id = %(batch_id)s::bigint RETURNING 1)
SELECT count(*) FROM gone
