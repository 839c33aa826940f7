-- Program flow over a window: days at or over capacity, person-days active and pending, referrals, intakes, exits, closures before intake, median stay and wait.
SELECT c.days,
       c.days_at_capacity,
       c.active_days,
       c.pending_days,
       s.referrals,
       s.intakes,
       s.median_wait::float8 AS median_wait,
       s.exits,
       s.median_stay::float8 AS median_stay,
       s.closures
FROM (
    SELECT count(*)::integer AS days,
           count(*) FILTER (WHERE active >= capacity)::integer AS days_at_capacity,
           coalesce(sum(active), 0)::bigint AS active_days,
           coalesce(sum(pending), 0)::bigint AS pending_days
    FROM census_daily(%(start)s::date, %(end)s::date)
) AS c
CROSS JOIN capacity_stays(%(start)s::date, %(end)s::date) AS s
