-- Every intake-month cohort of the pilot at 3, 6 and 12 months, for horizons reached by the as-of date.
SELECT intake_month, months, people, active, returned, exited
FROM outcome_cohorts(%(first_day)s::date, %(last_day)s::date, %(last_day)s::date)
ORDER BY intake_month, months
