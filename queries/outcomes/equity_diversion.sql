-- Eligible contacts in the window by race, sex and age group: diverted, declined, neither.
-- Eligible: a drug or prostitution contact (of the chosen offences) inside the catchment
-- in force that day.
-- The catchment in force each day comes from catchment_spans (migration 0015), joined
-- after a box test on the stored Mercator coordinates, as in contacts/zones.
WITH eligible AS (
    SELECT c.decision, c.race, c.sex, c.age
    FROM contact AS c
    JOIN catchment_spans(%(start)s::date, %(end)s::date, 1) AS a
      ON c.local_time::date >= a.span_from AND c.local_time::date < a.span_to
     AND c.mercator_x BETWEEN a.xmin AND a.xmax AND c.mercator_y BETWEEN a.ymin AND a.ymax
     AND ST_Intersects(a.geom, c.geom)
    WHERE c.occurred_at >= %(start)s::date::timestamp AT TIME ZONE 'America/New_York'
      AND c.occurred_at < (%(end)s::date + 1)::timestamp AT TIME ZONE 'America/New_York'
      AND c.offense = ANY(%(offenses)s::text[])
      AND c.offense IN ('drug', 'prostitution')
)
SELECT g.dimension, g.grp,
       count(*)::integer AS eligible,
       count(*) FILTER (WHERE e.decision = 'diverted')::integer AS diverted,
       count(*) FILTER (WHERE e.decision = 'declined')::integer AS declined
FROM eligible AS e
CROSS JOIN LATERAL equity_groups(e.race, e.sex, e.age) AS g
GROUP BY g.dimension, g.grp
ORDER BY g.dimension, g.grp
