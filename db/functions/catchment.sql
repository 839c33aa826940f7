-- The catchment in force, span by span, for parallel zone counts (contacts map, issue 3).
--
-- contacts/zones tested every contact against "the catchment in force that day" in a
-- correlated subquery over a CTE, and buffered the catchment through setting_on (SET
-- search_path, so PARALLEL UNSAFE): both keep PostgreSQL 15 to one process, and at 1M
-- contacts the count took ~400 ms. catchment_spans(first_day, last_day, ring_m) returns
-- the same areas as a tiny table the zone query joins to: one row per span of days in
-- which the set of catchments in force does not change, with their union (so a day with
-- two catchments counts a contact inside either, as EXISTS did), the union in Web
-- Mercator and in Maryland State Plane (EPSG:2248, US feet) for the ring test, and a
-- Mercator box widened by the ring that rules out far contacts on their stored
-- coordinates. It is PL/pgSQL and PARALLEL SAFE: every worker computes it once (a
-- function scan keeps its rows) and joins its share of contacts.

CREATE OR REPLACE FUNCTION catchment_spans(first_day date, last_day date, ring_m float8)
RETURNS TABLE (span_from date, span_to date, geom geometry, mercator geometry,
               stateplane geometry, xmin float8, ymin float8, xmax float8, ymax float8)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN QUERY
    WITH bounds AS (
        SELECT a.valid_from AS day FROM program_area AS a WHERE a.kind = 'catchment'
        UNION
        SELECT a.valid_to FROM program_area AS a
        WHERE a.kind = 'catchment' AND a.valid_to IS NOT NULL
    ),
    spans AS (
        SELECT b.day AS span_from,
               coalesce(lead(b.day) OVER (ORDER BY b.day), 'infinity'::date) AS span_to
        FROM bounds AS b
    ),
    unions AS (
        SELECT s.span_from, s.span_to, ST_Union(a.geom) AS geom
        FROM spans AS s
        JOIN program_area AS a
          ON a.kind = 'catchment' AND a.valid_from <= s.span_from
         AND (a.valid_to IS NULL OR a.valid_to > s.span_from)
        WHERE s.span_from <= last_day AND s.span_to > first_day
        GROUP BY s.span_from, s.span_to
    )
    SELECT u.span_from, u.span_to, u.geom, m.mercator, ST_Transform(u.geom, 2248),
           -- Mercator stretches ground distance by about 1/cos(latitude) (within 0.3 per
           -- cent: it is spherical, WGS 84 is not); 2 per cent more is a safe margin.
           ST_XMin(m.mercator) - w.pad, ST_YMin(m.mercator) - w.pad,
           ST_XMax(m.mercator) + w.pad, ST_YMax(m.mercator) + w.pad
    FROM unions AS u,
         LATERAL (SELECT ST_Transform(u.geom, 3857) AS mercator) AS m,
         LATERAL (SELECT 1.02 * ring_m / cos(radians(ST_YMax(u.geom))) AS pad) AS w;
END
$$;

REVOKE ALL ON FUNCTION catchment_spans(date, date, float8) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION catchment_spans(date, date, float8)
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;

-- A period's contacts of the given offences, each with whether it was eligible for LEAD:
-- a drug or prostitution contact inside the catchment in force that day. The one
-- definition of "eligible" for the Overview (home/contacts_two_periods,
-- home/contacts_monthly) and the Review (review/police). The catchment is joined after a
-- box test on the stored Mercator coordinates, as in contacts_zoned. A plain SQL function:
-- PostgreSQL inlines it, so the caller's filters reach the contact scan and its aggregate
-- stays parallel.
CREATE OR REPLACE FUNCTION contacts_eligible(first_day date, last_day date, offenses text[])
RETURNS TABLE (occurred_at timestamptz, local_time timestamp, decision text, eligible boolean)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT c.occurred_at, c.local_time, c.decision,
           c.offense IN ('drug', 'prostitution') AND a.span_from IS NOT NULL
    FROM contact AS c
    LEFT JOIN catchment_spans(first_day, last_day, 1) AS a
      ON c.local_time::date >= a.span_from AND c.local_time::date < a.span_to
     AND c.mercator_x BETWEEN a.xmin AND a.xmax AND c.mercator_y BETWEEN a.ymin AND a.ymax
     AND ST_Intersects(a.geom, c.geom)
    WHERE c.occurred_at >= first_day AND c.occurred_at < last_day + 1
      AND c.offense = ANY(offenses)
$$;

REVOKE ALL ON FUNCTION contacts_eligible(date, date, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contacts_eligible(date, date, text[])
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;

-- The filtered contacts of a period (contacts_filtered's filters) with their zone:
-- 'inside' the catchment in force that day, in the 'ring' within ring_m metres of its
-- edge, or 'outside' (also every contact of a day with no catchment in force). Read by
-- contacts/zones and by contact_rollup_refresh, so both count the same way.
-- ring_m is a distance on the ground. Web Mercator scaled by cos(latitude) is within 0.3
-- per cent of it here (Web Mercator is spherical, WGS 84 is not): a contact nearer or
-- farther by more than 0.5 per cent by that measure is decided by it on stored
-- coordinates, and only those in that band are measured in Maryland State Plane
-- (EPSG:2248, US feet; scale error under 1:10,000), the projection the ring outline is
-- drawn in. catchment_spans gives at most one row per day, so each contact joins at most
-- one row for "inside" and, only if not inside, one for "ring"; both tests first check
-- the stored Mercator coordinates against the span's box widened by the ring, so far
-- contacts skip the geometry. A plain SQL function: PostgreSQL inlines it (and
-- contacts_filtered in it), so the caller's aggregate stays parallel.
CREATE OR REPLACE FUNCTION contacts_zoned(
    first_day date, last_day date, offenses text[], pathways text[], decisions text[],
    posts text[], trained text, hours integer[], ring_m float8
)
RETURNS TABLE (local_time timestamp, offense text, decision text, post text, zone text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT c.local_time, c.offense, c.decision, c.post,
           CASE WHEN i.span_from IS NOT NULL THEN 'inside'
                WHEN r.span_from IS NOT NULL THEN 'ring'
                ELSE 'outside' END
    FROM contacts_filtered(
        first_day, last_day, offenses, pathways, decisions, posts, trained, hours
    ) AS c
    LEFT JOIN catchment_spans(first_day, last_day, ring_m) AS i
      ON c.local_time::date >= i.span_from AND c.local_time::date < i.span_to
     AND c.mercator_x BETWEEN i.xmin AND i.xmax AND c.mercator_y BETWEEN i.ymin AND i.ymax
     AND ST_Intersects(i.geom, c.geom)
    LEFT JOIN catchment_spans(first_day, last_day, ring_m) AS r
      ON i.span_from IS NULL
     AND c.local_time::date >= r.span_from AND c.local_time::date < r.span_to
     AND c.mercator_x BETWEEN r.xmin AND r.xmax AND c.mercator_y BETWEEN r.ymin AND r.ymax
     AND ST_DWithin(r.mercator, ST_SetSRID(ST_MakePoint(c.mercator_x, c.mercator_y), 3857),
                    1.005 * ring_m / cos(radians(ST_Y(c.geom))))
     AND (ST_DWithin(r.mercator, ST_SetSRID(ST_MakePoint(c.mercator_x, c.mercator_y), 3857),
                     0.995 * ring_m / cos(radians(ST_Y(c.geom))))
          OR ST_DWithin(r.stateplane, ST_Transform(c.geom, 2248), ring_m * 3.280833333))
$$;

REVOKE ALL ON FUNCTION contacts_zoned(
    date, date, text[], text[], text[], text[], text, integer[], float8
) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contacts_zoned(
    date, date, text[], text[], text[], text[], text, integer[], float8
) TO lead_command, lead_leadership, lead_case_manager, lead_admin;
