-- Filtered contacts of the period in one grid cell, by week, offence and decision.
SELECT date_trunc('week', local_time)::date AS week, offense, decision, count(*) AS contacts
FROM contacts_filtered(
    %(start)s::date, %(end)s::date, %(offenses)s::text[], %(pathways)s::text[],
    %(decisions)s::text[], %(posts)s::text[], %(trained)s::text, %(hours)s::integer[]
)
WHERE geom && ST_Expand(
          contact_cell_outline(%(shape)s::text, %(size)s::float8, %(i)s::bigint, %(j)s::bigint),
          1e-6)
  AND contact_cell_xy(mercator_x, mercator_y, %(shape)s::text, %(size)s::float8)
      = ARRAY[%(i)s::bigint, %(j)s::bigint]
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
