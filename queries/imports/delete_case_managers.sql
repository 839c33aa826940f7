-- Delete the case_manager rows a batch inserted (rollback); returns how many.
WITH gone AS (DELETE FROM case_manager WHERE batch_id = %(batch_id)s::bigint RETURNING 1)
SELECT count(*) FROM gone
