-- Participants' jail bookings, bed-days and cost in the window before vs after their first intake (first intakes from start to end whose after-window has passed by as_of), with per-participant medians.
SELECT phase, participants, people_booked, bookings, bed_days, cost::float8 AS cost,
       median_bookings::float8 AS median_bookings, median_bed_days::float8 AS median_bed_days
FROM cost_avoided(%(start)s::date, %(end)s::date, %(as_of)s::date)
