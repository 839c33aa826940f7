-- The most recent filtered contacts of the period as points: recorded location, to be geomasked before anything is drawn.
SELECT contact_id, ST_X(geom) AS lon, ST_Y(geom) AS lat, local_time::date AS day,
       offense, decision
FROM contacts_filtered(
    %(start)s::date, %(end)s::date, %(offenses)s::text[], %(pathways)s::text[],
    %(decisions)s::text[], %(posts)s::text[], %(trained)s::text, %(hours)s::integer[]
)
ORDER BY occurred_at DESC
LIMIT %(limit)s::integer
