-- Active officers with LEAD training current on a day, and on a reference day.
WITH days (period, day) AS (
    VALUES ('current', %(day)s::date), ('previous', %(ref_day)s::date)
)
SELECT d.period,
       count(DISTINCT o.officer_id) AS active_officers,
       count(DISTINCT t.officer_id) AS trained_officers,
       setting_on('trained_officers_target', d.day) AS target
FROM days d
LEFT JOIN officer o ON o.active
LEFT JOIN training t
       ON t.officer_id = o.officer_id
      AND t.completed_on <= d.day
      AND (t.expires_on IS NULL OR t.expires_on >= d.day)  -- valid through expires_on
GROUP BY d.period, d.day
