-- Contacts map (issue 3): the page's contact filters and its grid cells, each defined once.
--
-- contacts_filtered() is the set every contacts-map query starts from: contacts of a
-- period (Baltimore days) by offence, pathway, decision, recorded post, whether the
-- officer held a current LEAD training that day, and the local hour of the contact (the
-- hours of the chosen patrol shifts, program/shifts.py). An empty pathway/decision/post/
-- hours array means "all". Unknown values match nothing; no value ever becomes SQL text.
--
-- It is a plain SQL function (SECURITY INVOKER, STABLE, one SELECT, no SET clause) so
-- PostgreSQL inlines it into the calling query: the occurred_at index still bounds the
-- scan, unused output columns cost nothing, and the caller's role decides what may be
-- read. Training is current on day d when completed_on <= d <= expires_on (or no
-- expiry): each officer's trainings become one date multirange, joined by hash; with
-- trained = 'any' the CASE folds to true and the planner drops the join altogether.
-- It returns no person key, so leadership (no access to contact.person_key) can use it.
-- The local time and the Web Mercator projection are the contact's stored generated
-- columns (migration 0012), so no row computes them again.

CREATE OR REPLACE FUNCTION contacts_filtered(
    first_day date,
    last_day date,
    offenses text[],
    pathways text[],
    decisions text[],
    posts text[],
    trained text,
    hours integer[]
)
RETURNS TABLE (
    contact_id text,
    occurred_at timestamptz,
    local_time timestamp,
    geom geometry,
    offense text,
    pathway text,
    decision text,
    post text,
    mercator_x float8,
    mercator_y float8
)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT c.contact_id, c.occurred_at, c.local_time, c.geom, c.offense, c.pathway,
           c.decision, c.post, c.mercator_x, c.mercator_y
    FROM contact AS c
    LEFT JOIN (
        SELECT officer_id, range_agg(daterange(completed_on, expires_on, '[]')) AS spans
        FROM training
        GROUP BY officer_id
    ) AS t ON t.officer_id = c.officer_id
    WHERE c.occurred_at >= first_day::timestamp AT TIME ZONE 'America/New_York'
      AND c.occurred_at < (last_day + 1)::timestamp AT TIME ZONE 'America/New_York'
      AND c.offense = ANY(offenses)
      AND (cardinality(pathways) = 0 OR c.pathway = ANY(pathways))
      AND (cardinality(decisions) = 0 OR c.decision = ANY(decisions))
      AND (cardinality(posts) = 0 OR c.post = ANY(posts))
      AND (cardinality(hours) = 0 OR extract(hour FROM c.local_time)::integer = ANY(hours))
      AND CASE trained
            WHEN 'any' THEN true
            WHEN 'yes' THEN coalesce(t.spans @> c.local_time::date, false)
            WHEN 'no' THEN NOT coalesce(t.spans @> c.local_time::date, false)
            ELSE false
          END
$$;

REVOKE ALL ON FUNCTION contacts_filtered(date, date, text[], text[], text[], text[], text, integer[])
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contacts_filtered(date, date, text[], text[], text[], text[], text, integer[])
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;

-- The density cell {i, j} of EPSG:3857 point (x, y), by arithmetic rather than a spatial
-- join against a generated grid: the point is snapped to the cell whose centre is
-- nearest. The cells are exactly PostGIS's own ST_Square(size, i, j) and
-- ST_Hexagon(size, i, j) with origin (0, 0) in EPSG:3857 (flat-topped hexagons, size =
-- edge length; odd columns shifted up by half a row). Hexagon centres form two
-- rectangular lattices (even and odd columns); the nearest centre is the nearer of the
-- nearest centre of each: with h = size * sqrt(3.0), the candidates are (3 size ka, h ja)
-- in even columns and (3 size kb + 1.5 size, h jb + h / 2) in odd ones. geo/cells.py
-- mirrors this arithmetic in numpy; tests check both against ST_Hexagon.
-- One SQL expression that PostgreSQL inlines (no function call per row) and can run in
-- parallel workers, over the contact's stored projection. Not STRICT (PostgreSQL does not
-- inline a STRICT function around a CASE); NULL inputs give NULL explicitly.
CREATE OR REPLACE FUNCTION contact_cell_xy(x float8, y float8, shape text, size float8)
RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN x IS NULL OR y IS NULL OR size IS NULL THEN NULL
        WHEN shape = 'square' THEN ARRAY[floor(x / size), floor(y / size)]::bigint[]
        WHEN shape <> 'hexagon' THEN NULL
        WHEN (x - 3 * size * round(x / (3 * size))) ^ 2
             + (y - size * sqrt(3.0) * round(y / (size * sqrt(3.0)))) ^ 2
             <= (x - 3 * size * round((x - 1.5 * size) / (3 * size)) - 1.5 * size) ^ 2
                + (y - size * sqrt(3.0) * round((y - size * sqrt(3.0) / 2) / (size * sqrt(3.0)))
                   - size * sqrt(3.0) / 2) ^ 2
        THEN ARRAY[2 * round(x / (3 * size)), round(y / (size * sqrt(3.0)))]::bigint[]
        ELSE ARRAY[2 * round((x - 1.5 * size) / (3 * size)) + 1,
                   round((y - size * sqrt(3.0) / 2) / (size * sqrt(3.0)))]::bigint[]
    END
$$;

REVOKE ALL ON FUNCTION contact_cell_xy(float8, float8, text, float8) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contact_cell_xy(float8, float8, text, float8)
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;

-- The cell of an EPSG:4326 point: projected to Web Mercator by the closed-form spherical
-- formula (contact_mercator_x/y, the functions behind the stored columns, migration 0012),
-- then contact_cell_xy.
CREATE OR REPLACE FUNCTION contact_cell(geom geometry, shape text, size float8)
RETURNS bigint[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT contact_cell_xy(contact_mercator_x(geom), contact_mercator_y(geom), shape, size)
$$;

REVOKE ALL ON FUNCTION contact_cell(geometry, text, float8) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contact_cell(geometry, text, float8)
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;

-- The outline of cell {i, j} in EPSG:4326 (for index look-ups around one cell).
CREATE OR REPLACE FUNCTION contact_cell_outline(shape text, size float8, i bigint, j bigint)
RETURNS geometry
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ST_Transform(
        CASE shape
            WHEN 'square' THEN ST_Square(size, i::integer, j::integer, 'SRID=3857;POINT(0 0)')
            WHEN 'hexagon' THEN ST_Hexagon(size, i::integer, j::integer, 'SRID=3857;POINT(0 0)')
        END, 4326)
$$;

REVOKE ALL ON FUNCTION contact_cell_outline(text, float8, bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contact_cell_outline(text, float8, bigint, bigint)
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;
