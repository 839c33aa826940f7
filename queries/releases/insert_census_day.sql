-- Store the public daily census of the pilot, computed again from the enrollments.
INSERT INTO census_day (day, active, pending, overdue, capacity)
SELECT day, active, pending, overdue, capacity
FROM census_daily(%(first_day)s::date, %(last_day)s::date)
