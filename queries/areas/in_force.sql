-- Program areas whose validity overlaps a period (valid_to exclusive), the catchment first.
SELECT
    area_id,
    kind,
    name,
    valid_from,
    valid_to,
    is_approximation,
    source,
    ST_AsBinary(geom) AS geom_wkb
FROM program_area
WHERE valid_from <= %(end)s::date
  AND (valid_to IS NULL OR valid_to > %(start)s::date)
  AND NOT ST_IsEmpty(geom)  -- an area with nothing left to draw (migration 0017) is none
ORDER BY
    array_position(ARRAY['catchment', 'district', 'sector', 'post', 'city'], kind),
    name,
    valid_from
