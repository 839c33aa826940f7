-- Referrals made in a release period that were engaged by its last day, by service and days from referral to engagement.
SELECT service, bin_low, bin_high, referrals
FROM outcome_engagement_bins(%(first_day)s::date, %(last_day)s::date)
ORDER BY service, bin_low
