-- Jail bookings, bed-days and cost before vs after intake of the participants whose first intake falls in a cohort (first_day..last_day), all followed up in full by as_of.
SELECT phase, participants, people_booked, bookings, bed_days, cost::float8 AS cost,
       median_bookings::float8 AS median_bookings, median_bed_days::float8 AS median_bed_days
FROM cost_avoided(%(first_day)s::date, %(last_day)s::date, %(as_of)s::date)
