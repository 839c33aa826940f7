-- Participants with an intake in a release period and those engaged with a service by its last day, by race, sex and age group.
SELECT dimension, grp, participants, engaged
FROM outcome_equity_engagement(%(first_day)s::date, %(last_day)s::date)
ORDER BY dimension, grp
