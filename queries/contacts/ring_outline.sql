-- Outline of the "just outside" ring on a day: the catchment in force buffered by catchment_ring_m (EPSG:2248), as GeoJSON.
SELECT ST_AsGeoJSON(
           ST_Transform(
               ST_Buffer(ST_Transform(geom, 2248),
                         setting_on('catchment_ring_m', %(day)s::date) * 3.280833333),
               4326),
           5) AS geojson
FROM program_area
WHERE kind = 'catchment'
  AND valid_from <= %(day)s::date AND (valid_to IS NULL OR valid_to > %(day)s::date)
