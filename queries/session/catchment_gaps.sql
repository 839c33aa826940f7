-- Days of a period on which no usable catchment is in force (none valid that day, or only empty or invalid ones): how many, the first and the last.
SELECT count(*)::int AS days, min(d)::date AS first_day, max(d)::date AS last_day
FROM generate_series(%(start)s::date, %(end)s::date, interval '1 day') AS d
WHERE NOT EXISTS (
    SELECT 1
    FROM program_area AS a
    WHERE a.kind = 'catchment'
      AND a.valid_from <= d::date
      AND (a.valid_to IS NULL OR a.valid_to > d::date)
      AND NOT ST_IsEmpty(a.geom)
      AND ST_IsValid(a.geom)
)
