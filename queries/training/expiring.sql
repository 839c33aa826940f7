-- Active district officers whose LEAD training runs out within a number of days after a day, one row per officer (police command staff and admins only).
-- An officer's cover ends on the latest expires_on among the trainings current on the day;
-- a current training without expiry means no end. Rows go to the browser: bounded.
WITH cover AS (
    SELECT o.officer_id,
           coalesce(o.sector, 'unknown') AS sector,
           coalesce(o.post, 'unknown') AS post,
           coalesce(o.shift, 'unknown') AS shift,
           bool_or(t.expires_on IS NULL) AS never_expires,
           max(t.expires_on) AS expires_on
    FROM officer o
    JOIN training t
      ON t.officer_id = o.officer_id
     AND t.completed_on <= %(day)s::date
     AND (t.expires_on IS NULL OR t.expires_on >= %(day)s::date)
    WHERE o.active
      AND (%(sector)s::text IS NULL OR coalesce(o.sector, 'unknown') = %(sector)s::text)
      AND (%(shift)s::text IS NULL OR coalesce(o.shift, 'unknown') = %(shift)s::text)
      AND upper(o.district) IN (
          SELECT upper(a.name) FROM program_area a
          WHERE a.kind = 'district'
            AND a.valid_from <= %(day)s::date
            AND (a.valid_to IS NULL OR a.valid_to > %(day)s::date))
    GROUP BY 1, 2, 3, 4
)
SELECT officer_id, sector, post, shift, expires_on,
       expires_on - %(day)s::date AS days_left
FROM cover
WHERE NOT never_expires
  AND expires_on <= %(day)s::date + %(days)s::integer
ORDER BY expires_on, officer_id
LIMIT 1000
