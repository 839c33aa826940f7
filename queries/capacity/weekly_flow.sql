-- Referrals, intakes and exits per week (weeks start on Monday; the first and last weeks may be partial: days says how many days count).
SELECT date_trunc('week', day)::date AS week,
       count(*)::integer AS days,
       sum(referrals)::integer AS referrals,
       sum(intakes)::integer AS intakes,
       sum(exits)::integer AS exits
FROM census_daily(%(start)s::date, %(end)s::date)
GROUP BY 1
ORDER BY 1
