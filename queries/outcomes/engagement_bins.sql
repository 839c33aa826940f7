-- Referrals made in the window by service and days from referral to engagement (bins).
SELECT service, bin_low, bin_high, referrals
FROM outcome_engagement_bins(%(start)s::date, %(end)s::date)
ORDER BY service, bin_low
