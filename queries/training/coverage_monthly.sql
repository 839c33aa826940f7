-- Active district officers and those with current LEAD training at the end of each month from start to end (the last month is measured on the end day).
-- Officers are today's roster (active flag, sector, shift): the roster keeps no history.
-- Optional filters: sector and shift (NULL = all).
-- The districts in force are looked up once per month (districts), not once per officer
-- and month, and officers joined to them by name.
WITH days AS (
    SELECT m::date AS month,
           least((m + interval '1 month' - interval '1 day')::date, %(end)s::date) AS day
    FROM generate_series(
        date_trunc('month', %(start)s::date::timestamp),
        %(end)s::date::timestamp,
        interval '1 month'
    ) AS m
),
districts AS (
    SELECT DISTINCT d.month, upper(a.name) AS district
    FROM days d
    JOIN program_area a
      ON a.kind = 'district'
     AND a.valid_from <= d.day
     AND (a.valid_to IS NULL OR a.valid_to > d.day)
)
SELECT d.month,
       d.day,
       count(o.officer_id) AS active_officers,
       count(o.officer_id) FILTER (WHERE EXISTS (
           SELECT 1 FROM training t
           WHERE t.officer_id = o.officer_id
             AND t.completed_on <= d.day
             AND (t.expires_on IS NULL OR t.expires_on >= d.day)
       )) AS trained_officers
FROM days d
LEFT JOIN districts x ON x.month = d.month
LEFT JOIN officer o
       ON o.active
      AND (%(sector)s::text IS NULL OR coalesce(o.sector, 'unknown') = %(sector)s::text)
      AND (%(shift)s::text IS NULL OR coalesce(o.shift, 'unknown') = %(shift)s::text)
      AND upper(o.district) = x.district
GROUP BY d.month, d.day
ORDER BY d.month
