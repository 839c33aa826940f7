-- needs: ingest/areas_stage
-- Insert new program areas, update changed ones (key: kind, name, valid_from).
INSERT INTO program_area AS t (kind, name, valid_from, valid_to, source, is_approximation,
                               geom, batch_id, row_hash)
SELECT kind, name, valid_from, valid_to, source, is_approximation,
       ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_GeomFromText(wkt, 4326)), 3)),
       %(batch_id)s::bigint,
       md5(concat_ws(E'\x1f', valid_to, source, is_approximation, wkt))
FROM staged_area
ON CONFLICT (kind, name, valid_from) DO UPDATE
SET valid_to = EXCLUDED.valid_to, source = EXCLUDED.source,
    is_approximation = EXCLUDED.is_approximation, geom = EXCLUDED.geom,
    batch_id = EXCLUDED.batch_id, row_hash = EXCLUDED.row_hash
WHERE t.row_hash IS DISTINCT FROM EXCLUDED.row_hash
RETURNING (xmax = 0) AS inserted
