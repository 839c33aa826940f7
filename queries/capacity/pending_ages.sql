-- Referrals waiting for intake on a day, by days since referral.
SELECT age_days, pending
FROM capacity_pending_ages(%(day)s::date)
ORDER BY age_days
