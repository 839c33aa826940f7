-- Active officers and those with current LEAD training on a day, by sector.
SELECT coalesce(o.sector, 'unknown') AS sector,
       count(*) AS active_officers,
       count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM training t
           WHERE t.officer_id = o.officer_id AND t.completed_on <= %(day)s::date
             AND (t.expires_on IS NULL OR t.expires_on >= %(day)s::date))) AS trained_officers
FROM officer o WHERE o.active
GROUP BY 1 ORDER BY 1
