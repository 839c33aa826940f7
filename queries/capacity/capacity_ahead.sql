-- The capacity in force on every day of a range (settings may be dated in the future).
SELECT d::date AS day, setting_on('capacity', d::date)::integer AS capacity
FROM generate_series(%(start)s::date, %(end)s::date, interval '1 day') AS d
ORDER BY 1
