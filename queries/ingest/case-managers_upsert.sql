-- Insert new case managers, update changed ones; returns (new, updated).
-- needs: ingest/case-managers_stage
WITH upserted AS (
    INSERT INTO case_manager AS t (case_manager_id, name, organization, batch_id, row_hash)
    SELECT case_manager_id, name, organization, %(batch_id)s::bigint,
           md5(ROW(name, organization)::text)
    FROM staged_case_manager
    ON CONFLICT (case_manager_id) DO UPDATE
    SET name = EXCLUDED.name, organization = EXCLUDED.organization,
        batch_id = EXCLUDED.batch_id, row_hash = EXCLUDED.row_hash
    WHERE t.row_hash IS DISTINCT FROM EXCLUDED.row_hash
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
FROM upserted
