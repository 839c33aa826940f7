-- The loaded city line(s) as one WKB geometry, or NULL when none is loaded.
SELECT ST_AsBinary(ST_Union(geom)) FROM program_area WHERE kind = 'city'
