-- Delete the case_meeting rows a batch inserted (rollback); returns how many.
WITH gone AS (DELETE FROM case_meeting WHERE batch_id = %(batch_id)s::bigint RETURNING 1)
SELECT count(*) FROM gone
