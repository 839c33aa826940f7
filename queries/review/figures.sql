-- The review's figures for one period: census, contacts, diversion, training, program flow.
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
),
catchment AS (
    SELECT geom, valid_from, coalesce(valid_to, 'infinity'::date) AS valid_to
    FROM program_area WHERE kind = 'catchment'
),
contacts AS (
    SELECT c.decision,
           c.offense IN ('drug', 'prostitution') AND EXISTS (
               SELECT 1 FROM catchment a
               WHERE ST_Intersects(a.geom, c.geom)
                 AND c.occurred_at::date >= a.valid_from
                 AND c.occurred_at::date < a.valid_to) AS eligible
    FROM contact c
    WHERE c.occurred_at >= %(start)s::date AND c.occurred_at < %(end)s::date + 1
),
contact_figures AS (
    SELECT count(*) AS contacts,
           count(*) FILTER (WHERE decision = 'diverted') AS diverted,
           count(*) FILTER (WHERE eligible) AS eligible,
           count(*) FILTER (WHERE eligible AND decision = 'diverted') AS eligible_diverted
    FROM contacts
),
officers AS (
    SELECT count(*) AS active_officers,
           count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM training t
               WHERE t.officer_id = o.officer_id
                 AND t.completed_on <= %(end)s::date
                 AND (t.expires_on IS NULL OR t.expires_on >= %(end)s::date))) AS trained_officers
    FROM officer o WHERE o.active
)
SELECT *
FROM census, census_end, contact_figures, officers,
     review_program_flow(%(start)s::date, %(end)s::date)
