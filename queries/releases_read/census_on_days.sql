-- The public census stored with the releases (active, pending, overdue, capacity) on each of a list of days that has one: the Overview's trends for command and leadership.
SELECT day, active, pending, overdue, capacity
FROM census_day
WHERE day = ANY(%(days)s::date[])
ORDER BY day
