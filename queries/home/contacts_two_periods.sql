-- Contacts, eligible contacts and diversions in a period and in the period before it.
-- Eligible: a drug or prostitution contact inside the catchment in force that day.
-- The catchment comes from catchment_spans (migration 0015): one row per day, joined
-- after a box test on the stored Mercator coordinates, as in contacts/zones. One pass
-- over both periods counts each with FILTERs, so the scan can run in parallel.
WITH contacts AS (
    SELECT CASE WHEN c.local_time::date BETWEEN %(start)s::date AND %(end)s::date
                THEN 'current' ELSE 'previous' END AS period,
           c.offense IN ('drug', 'prostitution') AND a.span_from IS NOT NULL AS eligible,
           c.decision = 'diverted' AS diverted
    FROM contact AS c
    LEFT JOIN catchment_spans(least(%(start)s::date, %(prev_start)s::date),
                              greatest(%(end)s::date, %(prev_end)s::date), 1) AS a
           ON c.local_time::date >= a.span_from AND c.local_time::date < a.span_to
          AND c.mercator_x BETWEEN a.xmin AND a.xmax AND c.mercator_y BETWEEN a.ymin AND a.ymax
          AND ST_Intersects(a.geom, c.geom)
    WHERE ((c.occurred_at >= %(start)s::date AND c.occurred_at < %(end)s::date + 1)
           OR (c.occurred_at >= %(prev_start)s::date AND c.occurred_at < %(prev_end)s::date + 1))
      AND c.offense = ANY(%(offenses)s::text[])
)
SELECT p.period, p.contacts, p.eligible, p.diverted
FROM (
    SELECT count(*) FILTER (WHERE period = 'current') AS contacts,
           count(*) FILTER (WHERE period = 'current' AND eligible) AS eligible,
           count(*) FILTER (WHERE period = 'current' AND diverted) AS diverted,
           count(*) FILTER (WHERE period = 'previous') AS prev_contacts,
           count(*) FILTER (WHERE period = 'previous' AND eligible) AS prev_eligible,
           count(*) FILTER (WHERE period = 'previous' AND diverted) AS prev_diverted
    FROM contacts
) AS counted,
LATERAL (VALUES ('current', contacts, eligible, diverted),
                ('previous', prev_contacts, prev_eligible, prev_diverted))
    AS p (period, contacts, eligible, diverted)
