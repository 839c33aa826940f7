-- needs: ingest/case-managers_stage
-- Insert new case managers, update changed ones; true per row when it was new.
INSERT INTO case_manager AS t (case_manager_id, name, organization, batch_id, row_hash)
SELECT case_manager_id, name, organization, %(batch_id)s::bigint,
       md5(concat_ws(E'\x1f', name, organization))
FROM staged_case_manager
ON CONFLICT (case_manager_id) DO UPDATE
SET name = EXCLUDED.name, organization = EXCLUDED.organization,
    batch_id = EXCLUDED.batch_id, row_hash = EXCLUDED.row_hash
WHERE t.row_hash IS DISTINCT FROM EXCLUDED.row_hash
RETURNING (xmax = 0) AS inserted
