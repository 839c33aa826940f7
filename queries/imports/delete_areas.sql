-- Delete the program_area rows a batch inserted (rollback); returns how many.
WITH gone AS (DELETE FROM program_area WHERE batch_id = %(batch_id)s::bigint RETURNING 1)
SELECT count(*) FROM gone
