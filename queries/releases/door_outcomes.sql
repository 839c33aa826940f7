-- Service referrals made in a release period by referral door and outcome as known on its last day.
SELECT door, outcome, referrals
FROM door_outcomes(%(first_day)s::date, %(last_day)s::date)
ORDER BY door, outcome
