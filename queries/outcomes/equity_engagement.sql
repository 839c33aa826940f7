-- Participants with an intake in the window and those engaged with a service, by group.
SELECT dimension, grp, participants, engaged
FROM outcome_equity_engagement(%(start)s::date, %(end)s::date)
ORDER BY dimension, grp
