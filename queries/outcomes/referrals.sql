-- Service referrals made in the window by month, service and outcome as known at its end.
SELECT month, service, outcome, referrals
FROM outcome_referrals(%(start)s::date, %(end)s::date)
ORDER BY month, service, outcome
