-- Filtered contacts of the period inside the catchment in force that day, in the ring just outside it (catchment_ring_m on the last day), and further out.
-- The ring is the catchment buffered in Maryland State Plane feet (EPSG:2248), minus
-- the catchment. A day with no catchment in force puts its contacts outside.
-- eligible_offence: drug and prostitution contacts, the offences LEAD can divert.
-- Speed: a contact outside the bounding box of every catchment and ring of the period
-- is outside without testing each area (&& against one box, computed once); only the
-- contacts near the catchment run the per-area tests.
WITH catchment AS MATERIALIZED (
    SELECT geom,
           ST_Transform(
               ST_Buffer(ST_Transform(geom, 2248),
                         setting_on('catchment_ring_m', %(end)s::date) * 3.280833333),
               4326) AS ring_outer,
           valid_from, coalesce(valid_to, 'infinity'::date) AS valid_to
    FROM program_area
    WHERE kind = 'catchment'
      AND valid_from <= %(end)s::date
      AND (valid_to IS NULL OR valid_to > %(start)s::date)
),
near AS MATERIALIZED (
    SELECT ST_Envelope(ST_Collect(ST_Collect(geom, ring_outer))) AS box FROM catchment
),
zoned AS (
    SELECT c.offense, c.decision,
           CASE WHEN NOT c.geom && (SELECT box FROM near) THEN 'outside'
                WHEN EXISTS (
                    SELECT 1 FROM catchment AS a
                    WHERE c.local_time::date >= a.valid_from AND c.local_time::date < a.valid_to
                      AND ST_Intersects(a.geom, c.geom)) THEN 'inside'
                WHEN EXISTS (
                    SELECT 1 FROM catchment AS a
                    WHERE c.local_time::date >= a.valid_from AND c.local_time::date < a.valid_to
                      AND ST_Intersects(a.ring_outer, c.geom)) THEN 'ring'
                ELSE 'outside' END AS zone
    FROM contacts_filtered(
        %(start)s::date, %(end)s::date, %(offenses)s::text[], %(pathways)s::text[],
        %(decisions)s::text[], %(posts)s::text[], %(trained)s::text
    ) AS c
),
counted AS (
    SELECT zone, count(*) AS contacts,
           count(*) FILTER (WHERE offense IN ('drug', 'prostitution')) AS eligible_offence,
           count(*) FILTER (WHERE decision = 'diverted') AS diverted
    FROM zoned
    GROUP BY zone
)
SELECT z.zone, coalesce(n.contacts, 0) AS contacts,
       coalesce(n.eligible_offence, 0) AS eligible_offence,
       coalesce(n.diverted, 0) AS diverted,
       setting_on('catchment_ring_m', %(end)s::date) AS ring_m
FROM (VALUES (1, 'inside'), (2, 'ring'), (3, 'outside')) AS z (rank, zone)
LEFT JOIN counted AS n ON n.zone = z.zone
ORDER BY z.rank
