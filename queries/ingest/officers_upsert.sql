-- Insert new officers, update changed ones; returns (new, updated).
-- needs: ingest/officers_stage
WITH upserted AS (
    INSERT INTO officer AS t (officer_id, district, sector, post, shift, active, batch_id, row_hash)
    SELECT officer_id, district, sector, post, shift, active, %(batch_id)s::bigint,
           md5(ROW(district, sector, post, shift, active)::text)
    FROM staged_officer
    ON CONFLICT (officer_id) DO UPDATE
    SET district = EXCLUDED.district, sector = EXCLUDED.sector, post = EXCLUDED.post,
        shift = EXCLUDED.shift, active = EXCLUDED.active, batch_id = EXCLUDED.batch_id,
        row_hash = EXCLUDED.row_hash
    WHERE t.row_hash IS DISTINCT FROM EXCLUDED.row_hash
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
FROM upserted
