-- The public daily census of the pilot: active, pending and overdue against the capacity in force.
SELECT day, active, pending, overdue, capacity
FROM census_daily(%(first_day)s::date, %(last_day)s::date)
ORDER BY day
