-- Insert new trainings, update changed ones; returns (new, updated).
-- needs: ingest/trainings_stage
WITH upserted AS (
    INSERT INTO training AS t (officer_id, course, completed_on, expires_on, batch_id, row_hash)
    SELECT officer_id, course, completed_on, expires_on, %(batch_id)s::bigint,
           md5(ROW(expires_on)::text)
    FROM staged_training
    ON CONFLICT (officer_id, course, completed_on) DO UPDATE
    SET expires_on = EXCLUDED.expires_on, batch_id = EXCLUDED.batch_id,
        row_hash = EXCLUDED.row_hash
    WHERE t.row_hash IS DISTINCT FROM EXCLUDED.row_hash
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
FROM upserted
