-- Every stored release (period, label, data as of, computed at), oldest first per kind.
SELECT release_id, period_kind, first_day, last_day, label, data_as_of, computed_at
FROM release
ORDER BY CASE period_kind WHEN 'month' THEN 1 WHEN 'quarter' THEN 2 WHEN 'year' THEN 3
         ELSE 4 END, first_day, last_day
