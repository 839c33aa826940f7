-- The public daily census (active, pending, overdue, capacity) from first_day to last_day.
SELECT day, active, pending, overdue, capacity
FROM census_day
WHERE day BETWEEN %(first_day)s::date AND %(last_day)s::date
ORDER BY day
