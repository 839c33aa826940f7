-- The public weekly flow (referrals to LEAD, intakes, exits) of weeks starting in a span.
SELECT week, days, referrals, intakes, exits
FROM census_week
WHERE week BETWEEN %(first_day)s::date - 6 AND %(last_day)s::date
ORDER BY week
