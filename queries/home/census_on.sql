-- The program census on one day and on a reference day (active, pending, overdue, capacity).
SELECT 'current' AS period, * FROM census_daily(%(day)s::date, %(day)s::date)
UNION ALL
SELECT 'previous', * FROM census_daily(%(ref_day)s::date, %(ref_day)s::date)
