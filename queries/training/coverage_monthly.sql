-- Active district officers and those with current LEAD training at the end of each month from start to end (the last month is measured on the end day).
-- Officers are today's roster (active flag, sector, shift): the roster keeps no history.
-- Optional filters: sector and shift (NULL = all).
WITH days AS (
    SELECT m::date AS month,
           least((m + interval '1 month' - interval '1 day')::date, %(end)s::date) AS day
    FROM generate_series(
        date_trunc('month', %(start)s::date::timestamp),
        %(end)s::date::timestamp,
        interval '1 month'
    ) AS m
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
LEFT JOIN officer o
       ON o.active
      AND (%(sector)s::text IS NULL OR coalesce(o.sector, 'unknown') = %(sector)s::text)
      AND (%(shift)s::text IS NULL OR coalesce(o.shift, 'unknown') = %(shift)s::text)
      AND upper(o.district) IN (
          SELECT upper(a.name) FROM program_area a
          WHERE a.kind = 'district'
            AND a.valid_from <= d.day
            AND (a.valid_to IS NULL OR a.valid_to > d.day))
GROUP BY d.month, d.day
ORDER BY d.month
