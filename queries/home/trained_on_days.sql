-- Active officers with LEAD training current on each of a list of days (the Overview's trends; as home/trained_officers).
SELECT d.day, count(DISTINCT t.officer_id) AS trained_officers
FROM unnest(%(days)s::date[]) AS d (day)
LEFT JOIN officer AS o ON o.active
LEFT JOIN training AS t
       ON t.officer_id = o.officer_id
      AND t.completed_on <= d.day
      AND (t.expires_on IS NULL OR t.expires_on >= d.day)  -- valid through expires_on
GROUP BY d.day
ORDER BY d.day
