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
),
-- Contacts are counted per (race, sex, age) first: equity_groups (a function with its own
-- search_path, so never inlined) then runs once per combination, not once per contact.
counted AS (
    SELECT race, sex, age,
           count(*) AS eligible,
           count(*) FILTER (WHERE decision = 'diverted') AS diverted,
           count(*) FILTER (WHERE decision = 'declined') AS declined
    FROM eligible
    GROUP BY race, sex, age
)
SELECT g.dimension, g.grp,
       sum(n.eligible)::integer AS eligible,
       sum(n.diverted)::integer AS diverted,
       sum(n.declined)::integer AS declined
FROM counted AS n
CROSS JOIN LATERAL equity_groups(n.race, n.sex, n.age) AS g
GROUP BY g.dimension, g.grp
ORDER BY g.dimension, g.grp
