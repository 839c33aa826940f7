-- The program census on every day of a range: active, pending, overdue, referrals, intakes, exits and the capacity in force.
SELECT day, active, pending, overdue, referrals, intakes, exits, capacity
FROM census_daily(%(start)s::date, %(end)s::date)
ORDER BY day
