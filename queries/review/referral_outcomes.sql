-- Service referrals made in a period by service and outcome at the period's end.
SELECT service, outcome, referrals
FROM review_referral_outcomes(%(start)s::date, %(end)s::date)
ORDER BY service, outcome
