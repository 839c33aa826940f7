-- Program layers in force on a day (catchment, district, posts) as GeoJSON for the printed map.
SELECT kind, name, is_approximation, ST_AsGeoJSON(geom, 5) AS geojson
FROM program_area
WHERE kind IN ('catchment', 'district', 'post')
  AND valid_from <= %(day)s::date AND (valid_to IS NULL OR valid_to > %(day)s::date)
  AND NOT ST_IsEmpty(geom)
ORDER BY kind = 'catchment', kind, name
