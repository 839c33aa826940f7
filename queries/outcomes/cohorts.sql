-- Intake-month cohorts: active, returned, exited 3, 6 and 12 months after intake.
SELECT intake_month, months, people, active, returned, exited
FROM outcome_cohorts(%(start)s::date, %(end)s::date, %(as_of)s::date)
ORDER BY intake_month, months
