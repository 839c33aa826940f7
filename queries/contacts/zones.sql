-- Filtered contacts of the period inside the catchment in force that day, in the ring just outside it (catchment_ring_m on the last day), and further out.
-- The ring is the catchment buffered in Maryland State Plane feet (EPSG:2248), minus
-- the catchment. A day with no catchment in force puts its contacts outside.
-- eligible_offence: drug and prostitution contacts, the offences LEAD can divert.
-- Speed: a contact outside the bounding box of every catchment and ring of the period
-- is outside (zone 3; 1 is inside, 2 the ring) without testing each area (&& against
-- one box, computed once); only the contacts near the catchment run the per-area tests. The zone is computed once per
-- contact (OFFSET 0 keeps the planner from copying the CASE into every count) and the
-- counts are one pass of FILTERed aggregates: a GROUP BY zone sorted 550k rows to disk.
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
           CASE WHEN NOT c.geom && (SELECT box FROM near) THEN 3
                WHEN EXISTS (
                    SELECT 1 FROM catchment AS a
                    WHERE c.local_time::date >= a.valid_from AND c.local_time::date < a.valid_to
                      AND ST_Intersects(a.geom, c.geom)) THEN 1
                WHEN EXISTS (
                    SELECT 1 FROM catchment AS a
                    WHERE c.local_time::date >= a.valid_from AND c.local_time::date < a.valid_to
                      AND ST_Intersects(a.ring_outer, c.geom)) THEN 2
                ELSE 3 END AS zone
    FROM contacts_filtered(
        %(start)s::date, %(end)s::date, %(offenses)s::text[], %(pathways)s::text[],
        %(decisions)s::text[], %(posts)s::text[], %(trained)s::text
    ) AS c
    OFFSET 0
),
counted AS (
    SELECT count(*) FILTER (WHERE zone = 1) AS inside,
           count(*) FILTER (WHERE zone = 1 AND offense IN ('drug', 'prostitution'))
               AS inside_eligible,
           count(*) FILTER (WHERE zone = 1 AND decision = 'diverted') AS inside_diverted,
           count(*) FILTER (WHERE zone = 2) AS ring,
           count(*) FILTER (WHERE zone = 2 AND offense IN ('drug', 'prostitution'))
               AS ring_eligible,
           count(*) FILTER (WHERE zone = 2 AND decision = 'diverted') AS ring_diverted,
           count(*) FILTER (WHERE zone = 3) AS outside,
           count(*) FILTER (WHERE zone = 3 AND offense IN ('drug', 'prostitution'))
               AS outside_eligible,
           count(*) FILTER (WHERE zone = 3 AND decision = 'diverted') AS outside_diverted
    FROM zoned
)
SELECT z.zone, z.contacts, z.eligible_offence, z.diverted,
       setting_on('catchment_ring_m', %(end)s::date) AS ring_m
FROM counted,
     LATERAL (VALUES ('inside', inside, inside_eligible, inside_diverted),
                     ('ring', ring, ring_eligible, ring_diverted),
                     ('outside', outside, outside_eligible, outside_diverted))
         AS z (zone, contacts, eligible_offence, diverted)
