-- The program census (active, pending, overdue, capacity) on each of a list of days: the Overview's 12-month trends for person-level roles.
SELECT d.day, c.active, c.pending, c.overdue, c.capacity
FROM unnest(%(days)s::date[]) AS d (day)
CROSS JOIN LATERAL census_daily(d.day, d.day) AS c
ORDER BY d.day
