-- The stored public census on one day and on a reference day (active, pending, overdue, capacity).
SELECT 'current' AS period, day, active, pending, overdue, capacity
FROM census_day WHERE day = %(day)s::date
UNION ALL
SELECT 'previous', day, active, pending, overdue, capacity
FROM census_day WHERE day = %(ref_day)s::date
