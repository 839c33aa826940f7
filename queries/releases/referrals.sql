-- Service referrals made in a release period by service and outcome as known on its last day.
SELECT service, outcome, sum(referrals)::integer AS referrals
FROM outcome_referrals(%(first_day)s::date, %(last_day)s::date)
GROUP BY service, outcome
ORDER BY service, outcome
