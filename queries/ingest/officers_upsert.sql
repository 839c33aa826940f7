-- needs: ingest/officers_stage
-- Insert new officers, update changed ones; true per row when it was new.
INSERT INTO officer AS t (officer_id, district, sector, post, shift, active, batch_id, row_hash)
SELECT officer_id, district, sector, post, shift, active, %(batch_id)s::bigint,
       md5(concat_ws(E'\x1f', district, sector, post, shift, active))
FROM staged_officer
ON CONFLICT (officer_id) DO UPDATE
SET district = EXCLUDED.district, sector = EXCLUDED.sector, post = EXCLUDED.post,
    shift = EXCLUDED.shift, active = EXCLUDED.active, batch_id = EXCLUDED.batch_id,
    row_hash = EXCLUDED.row_hash
WHERE t.row_hash IS DISTINCT FROM EXCLUDED.row_hash
RETURNING (xmax = 0) AS inserted
