-- Store the public weekly flow of the pilot (Monday start; days says how many days count).
INSERT INTO census_week (week, days, referrals, intakes, exits)
SELECT date_trunc('week', day)::date, count(*)::integer, sum(referrals)::integer,
       sum(intakes)::integer, sum(exits)::integer
FROM census_daily(%(first_day)s::date, %(last_day)s::date)
GROUP BY 1
