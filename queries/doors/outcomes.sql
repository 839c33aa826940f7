-- Service referrals made in a window by the referral door of their enrollment and outcome as known on its last day.
SELECT door, outcome, referrals
FROM door_outcomes(%(start)s::date, %(end)s::date)
ORDER BY door, outcome
