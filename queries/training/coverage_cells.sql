-- Active officers of the program's district and those with current LEAD training on a day, by sector, post and shift.
-- The program's district: the district area(s) in force on the day, names compared without
-- regard to case. Current training on d: completed on or before d and, if it expires, not
-- before d (a training is valid through its expires_on day).
SELECT coalesce(o.sector, 'unknown') AS sector,
       coalesce(o.post, 'unknown') AS post,
       coalesce(o.shift, 'unknown') AS shift,
       count(*) AS active_officers,
       count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM training t
           WHERE t.officer_id = o.officer_id
             AND t.completed_on <= %(day)s::date
             AND (t.expires_on IS NULL OR t.expires_on >= %(day)s::date)
       )) AS trained_officers
FROM officer o
WHERE o.active
  AND upper(o.district) IN (
      SELECT upper(a.name) FROM program_area a
      WHERE a.kind = 'district'
        AND a.valid_from <= %(day)s::date
        AND (a.valid_to IS NULL OR a.valid_to > %(day)s::date))
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
