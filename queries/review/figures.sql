-- The review's treatment figures for one period: census and program flow (exact windows).
-- The police figures (contacts, diversion, training) are review/police, shared with releases.
WITH census AS (
    SELECT avg(active) AS avg_active,
           avg(capacity) AS avg_capacity,
           count(*) FILTER (WHERE active >= capacity) AS days_at_capacity,
           count(*) AS days
    FROM census_daily(%(start)s::date, %(end)s::date)
),
census_end AS (
    SELECT active AS active_end, capacity AS capacity_end, pending AS pending_end,
           overdue AS overdue_end
    FROM census_daily(%(end)s::date, %(end)s::date)
)
SELECT *
FROM census, census_end,
     review_program_flow(%(start)s::date, %(end)s::date)
