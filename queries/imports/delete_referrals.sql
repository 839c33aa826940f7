-- Delete the service_referral rows a batch inserted (rollback); returns how many.
WITH gone AS (DELETE FROM service_referral WHERE batch_id = %(batch_id)s::bigint RETURNING 1)
SELECT count(*) FROM gone
