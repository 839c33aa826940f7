-- Filtered contacts of the period inside the catchment in force that day, in the ring within ring_m of its edge, and further out.
-- ring_m is the setting catchment_ring_m on the last day (the page reads it with
-- session/setting), a distance on the ground. Web Mercator scaled by cos(latitude) is
-- within 0.3 per cent of it here (Web Mercator is spherical, WGS 84 is not): a contact
-- nearer or farther by more than 0.5 per cent by that measure is decided by it on stored
-- coordinates, and only those in that band are measured in Maryland State Plane
-- (EPSG:2248, US feet; scale error under 1:10,000), the projection the ring outline is
-- drawn in.
-- A day with no catchment in force puts its contacts outside.
-- eligible_offence: drug and prostitution contacts, the offences LEAD can divert.
-- Speed: catchment_spans (migration 0015) gives at most one row per day, so each
-- contact joins at most one row for "inside" and, only if not inside, one for "ring";
-- the join filters run once per contact and every part is parallel safe, so the count
-- is a parallel aggregate. Both tests first check the stored Mercator coordinates
-- against the span's box widened by the ring, so far contacts skip the geometry.
SELECT z.zone, z.contacts, z.eligible_offence, z.diverted, %(ring_m)s::float8 AS ring_m
FROM (
    SELECT count(*) FILTER (WHERE i.span_from IS NOT NULL) AS inside,
           count(*) FILTER (WHERE i.span_from IS NOT NULL
                              AND c.offense IN ('drug', 'prostitution')) AS inside_eligible,
           count(*) FILTER (WHERE i.span_from IS NOT NULL
                              AND c.decision = 'diverted') AS inside_diverted,
           count(*) FILTER (WHERE r.span_from IS NOT NULL) AS ring,
           count(*) FILTER (WHERE r.span_from IS NOT NULL
                              AND c.offense IN ('drug', 'prostitution')) AS ring_eligible,
           count(*) FILTER (WHERE r.span_from IS NOT NULL
                              AND c.decision = 'diverted') AS ring_diverted,
           count(*) FILTER (WHERE i.span_from IS NULL AND r.span_from IS NULL) AS outside,
           count(*) FILTER (WHERE i.span_from IS NULL AND r.span_from IS NULL
                              AND c.offense IN ('drug', 'prostitution')) AS outside_eligible,
           count(*) FILTER (WHERE i.span_from IS NULL AND r.span_from IS NULL
                              AND c.decision = 'diverted') AS outside_diverted
    FROM contacts_filtered(
        %(start)s::date, %(end)s::date, %(offenses)s::text[], %(pathways)s::text[],
        %(decisions)s::text[], %(posts)s::text[], %(trained)s::text,
        %(hours)s::integer[]
    ) AS c
    LEFT JOIN catchment_spans(%(start)s::date, %(end)s::date, %(ring_m)s::float8) AS i
      ON c.local_time::date >= i.span_from AND c.local_time::date < i.span_to
     AND c.mercator_x BETWEEN i.xmin AND i.xmax AND c.mercator_y BETWEEN i.ymin AND i.ymax
     AND ST_Intersects(i.geom, c.geom)
    LEFT JOIN catchment_spans(%(start)s::date, %(end)s::date, %(ring_m)s::float8) AS r
      ON i.span_from IS NULL
     AND c.local_time::date >= r.span_from AND c.local_time::date < r.span_to
     AND c.mercator_x BETWEEN r.xmin AND r.xmax AND c.mercator_y BETWEEN r.ymin AND r.ymax
     AND ST_DWithin(r.mercator, ST_SetSRID(ST_MakePoint(c.mercator_x, c.mercator_y), 3857),
                    1.005 * %(ring_m)s::float8 / cos(radians(ST_Y(c.geom))))
     AND (ST_DWithin(r.mercator, ST_SetSRID(ST_MakePoint(c.mercator_x, c.mercator_y), 3857),
                     0.995 * %(ring_m)s::float8 / cos(radians(ST_Y(c.geom))))
          OR ST_DWithin(r.stateplane, ST_Transform(c.geom, 2248), %(ring_m)s::float8 * 3.280833333))
) AS counted,
LATERAL (VALUES ('inside', inside, inside_eligible, inside_diverted),
                ('ring', ring, ring_eligible, ring_diverted),
                ('outside', outside, outside_eligible, outside_diverted))
    AS z (zone, contacts, eligible_offence, diverted)
