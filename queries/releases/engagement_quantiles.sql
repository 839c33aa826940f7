-- Quartiles of days from referral to engagement by service, for referrals made in a release period.
SELECT service, referrals, p25::float8 AS p25, median::float8 AS median, p75::float8 AS p75
FROM outcome_engagement_quantiles(%(first_day)s::date, %(last_day)s::date)
ORDER BY service
