-- Contacts, eligible contacts and diversions in a period and in the period before it.
-- Eligible: a drug or prostitution contact inside the catchment in force that day.
WITH periods (period, first_day, last_day) AS (
    VALUES ('current', %(start)s::date, %(end)s::date),
           ('previous', %(prev_start)s::date, %(prev_end)s::date)
),
catchment AS (
    SELECT geom, valid_from, coalesce(valid_to, 'infinity'::date) AS valid_to
    FROM program_area WHERE kind = 'catchment'
)
SELECT p.period,
       count(c.contact_id) AS contacts,
       count(c.contact_id) FILTER (WHERE c.offense IN ('drug', 'prostitution') AND EXISTS (
           SELECT 1 FROM catchment a
           WHERE ST_Intersects(a.geom, c.geom)
             AND c.occurred_at::date >= a.valid_from AND c.occurred_at::date < a.valid_to
       )) AS eligible,
       count(c.contact_id) FILTER (WHERE c.decision = 'diverted') AS diverted
FROM periods p
LEFT JOIN contact c
       ON c.occurred_at >= p.first_day
      AND c.occurred_at < p.last_day + 1
      AND c.offense = ANY(%(offenses)s::text[])
GROUP BY p.period
