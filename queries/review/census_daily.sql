-- Daily census (active, pending) against capacity over a period.
SELECT day, active, pending, capacity FROM census_daily(%(start)s::date, %(end)s::date)
