-- Insert new program areas, update changed ones; returns (new, updated).
-- Key: (kind, name, valid_from).
-- needs: ingest/areas_stage
WITH upserted AS (
    INSERT INTO program_area AS t (kind, name, valid_from, valid_to, source, is_approximation,
                                   geom, batch_id, row_hash)
    SELECT kind, name, valid_from, valid_to, source, is_approximation,
           ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_GeomFromText(wkt, 4326)), 3)),
           %(batch_id)s::bigint,
           md5(ROW(valid_to, source, is_approximation, wkt)::text)
    FROM staged_area
    ON CONFLICT (kind, name, valid_from) DO UPDATE
    SET valid_to = EXCLUDED.valid_to, source = EXCLUDED.source,
        is_approximation = EXCLUDED.is_approximation, geom = EXCLUDED.geom,
        batch_id = EXCLUDED.batch_id, row_hash = EXCLUDED.row_hash
    WHERE t.row_hash IS DISTINCT FROM EXCLUDED.row_hash
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
FROM upserted
