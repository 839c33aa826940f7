-- Quartiles of days from referral to engagement by service (referrals made in the window).
SELECT service, referrals, p25, median, p75
FROM outcome_engagement_quantiles(%(start)s::date, %(end)s::date)
ORDER BY service
