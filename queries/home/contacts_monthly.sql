-- Contacts, eligible contacts and diversions per calendar month from start to end (the Overview's trends; eligible as in home/contacts_two_periods).
SELECT date_trunc('month', c.local_time)::date AS month,
       count(*) AS contacts,
       count(*) FILTER (WHERE c.offense IN ('drug', 'prostitution') AND a.span_from IS NOT NULL)
           AS eligible,
       count(*) FILTER (WHERE c.decision = 'diverted') AS diverted
FROM contact AS c
LEFT JOIN catchment_spans(%(start)s::date, %(end)s::date, 1) AS a
       ON c.local_time::date >= a.span_from AND c.local_time::date < a.span_to
      AND c.mercator_x BETWEEN a.xmin AND a.xmax AND c.mercator_y BETWEEN a.ymin AND a.ymax
      AND ST_Intersects(a.geom, c.geom)
WHERE c.occurred_at >= %(start)s::date AND c.occurred_at < %(end)s::date + 1
  AND c.offense = ANY(%(offenses)s::text[])
GROUP BY 1
ORDER BY 1
