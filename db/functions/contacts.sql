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

-- The stored counts of the map (contact_rollup, migration 0028). A period of days is
-- read as the fewest parts: whole calendar years, then whole months outside them, then
-- the remaining days; the rollup holds a row per part and key, so a pilot-to-date map
-- sums a few dozen parts instead of counting millions of contacts.
CREATE OR REPLACE FUNCTION contact_rollup_parts(first_day date, last_day date)
RETURNS TABLE (grain text, period_start date)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH days AS (
        SELECT d::date AS day FROM generate_series(first_day, last_day, interval '1 day') AS d
    ),
    years AS (
        SELECT date_trunc('year', day)::date AS part FROM days GROUP BY 1
        HAVING count(*) = (date_trunc('year', min(day)) + interval '1 year')::date
                          - date_trunc('year', min(day))::date
    ),
    months AS (
        SELECT date_trunc('month', day)::date AS part FROM days
        WHERE date_trunc('year', day)::date NOT IN (SELECT part FROM years)
        GROUP BY 1
        HAVING count(*) = (date_trunc('month', min(day)) + interval '1 month')::date
                          - date_trunc('month', min(day))::date
    )
    SELECT 'year', part FROM years
    UNION ALL
    SELECT 'month', part FROM months
    UNION ALL
    SELECT 'day', day FROM days
    WHERE date_trunc('month', day)::date NOT IN (SELECT part FROM months)
      AND date_trunc('year', day)::date NOT IN (SELECT part FROM years)
$$;

REVOKE ALL ON FUNCTION contact_rollup_parts(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contact_rollup_parts(date, date)
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;

-- Whether the rollup answers for these filters: it is current and the filters are the
-- page's defaults (every pathway, decision, post and hour; trained or not). Constant for
-- a query, so PostgreSQL runs it once and skips the branch it rules out.
CREATE OR REPLACE FUNCTION contact_rollup_usable(
    pathways text[], decisions text[], posts text[], trained text, hours integer[]
)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT cardinality(pathways) = 0 AND cardinality(decisions) = 0
       AND cardinality(posts) = 0 AND cardinality(hours) = 0 AND trained = 'any'
       AND coalesce((SELECT s.current FROM contact_rollup_state AS s), false)
$$;

REVOKE ALL ON FUNCTION contact_rollup_usable(text[], text[], text[], text, integer[])
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contact_rollup_usable(text[], text[], text[], text, integer[])
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;

-- The stored rows of one kind for the parts of a period and these offences; none unless
-- the rollup answers for these filters (contact_rollup_usable). Inlined by PostgreSQL, so
-- that test runs once per query.
CREATE OR REPLACE FUNCTION contact_rollup_read(
    row_kind text, first_day date, last_day date, offenses text[], pathways text[],
    decisions text[], posts text[], trained text, hours integer[]
)
RETURNS SETOF contact_rollup
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.*
    FROM contact_rollup_parts(first_day, last_day) AS p
    JOIN contact_rollup AS r
      ON r.kind = row_kind AND r.grain = p.grain AND r.period_start = p.period_start
    WHERE contact_rollup_usable(pathways, decisions, posts, trained, hours)
      AND r.offense = ANY(offenses)
      -- every part starts inside the period: a range the index bounds, whatever the
      -- planner guesses of the parts (at 1M it read all 808k daily post rows without it)
      AND r.period_start BETWEEN first_day AND last_day
$$;

REVOKE ALL ON FUNCTION contact_rollup_read(
    text, date, date, text[], text[], text[], text[], text, integer[]
) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contact_rollup_read(
    text, date, date, text[], text[], text[], text[], text, integer[]
) TO lead_command, lead_leadership, lead_case_manager, lead_admin;

-- Whether the rollup holds the cells of grid (shape, size) for every contact in the box
-- west..east, south..north (EPSG:3857), as contacts/cells counts them.
CREATE OR REPLACE FUNCTION contact_rollup_holds_cells(
    shape text, size float8, west float8, south float8, east float8, north float8
)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (
        SELECT FROM contact_rollup_grid AS g, contact_rollup_state AS s
        WHERE g.shape = contact_rollup_holds_cells.shape
          AND abs(g.size - contact_rollup_holds_cells.size) <= 1e-9 * g.size
          AND west >= s.box_west AND east <= s.box_east
          AND south >= s.box_south AND north <= s.box_north
    )
$$;

REVOKE ALL ON FUNCTION contact_rollup_holds_cells(text, float8, float8, float8, float8, float8)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contact_rollup_holds_cells(
    text, float8, float8, float8, float8, float8
) TO lead_command, lead_leadership, lead_case_manager, lead_admin;

-- Count the map again into contact_rollup if contacts or areas changed since it was
-- counted (a no-op otherwise); run by the schema owner in each import's transaction.
-- Every contact is counted through contacts_filtered and contacts_zoned with the page's
-- default filters, so a stored count is the count the queries would make. Cells are kept
-- for contacts in the box of every district boundary widened by 2 km plus four cells
-- (the map draws cells over the district and 1 km around it; see
-- dashboard/contacts/data.py); the ring is catchment_ring_m on the last contact's day.
-- Returns the rows stored (0 when it was current). work_mem: the groups of millions of
-- contacts are hashed in memory rather than sorted on disk.
CREATE OR REPLACE FUNCTION contact_rollup_refresh() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET work_mem = '256MB' AS $$
DECLARE
    first_day date;
    last_day date;
    ring float8;
    box box2d;
    pad float8;
    everything text[] := ARRAY['drug', 'prostitution', 'other'];
    stored bigint;
BEGIN
    PERFORM FROM contact_rollup_state WHERE NOT current FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    DELETE FROM contact_rollup;
    SELECT min(c.local_time)::date, max(c.local_time)::date INTO first_day, last_day
    FROM contact AS c;
    ring := setting_on('catchment_ring_m', coalesce(last_day, current_date));
    SELECT ST_Extent(ST_Transform(a.geom, 3857)) INTO box
    FROM program_area AS a WHERE a.kind = 'district';
    SELECT 2000 + 4 * coalesce(max(g.size), 0) INTO pad FROM contact_rollup_grid AS g;
    IF first_day IS NOT NULL THEN
        IF box IS NOT NULL THEN
            INSERT INTO contact_rollup
                (grain, period_start, kind, offense, shape, size, i, j, contacts, diverted)
            SELECT 'day', c.local_time::date, 'cell', c.offense, g.shape, g.size,
                   x.cell[1], x.cell[2], count(*), count(*) FILTER (WHERE c.decision = 'diverted')
            FROM contacts_filtered(first_day, last_day, everything, '{}', '{}', '{}', 'any', '{}')
                 AS c
            CROSS JOIN contact_rollup_grid AS g
            CROSS JOIN LATERAL (
                SELECT contact_cell_xy(c.mercator_x, c.mercator_y, g.shape, g.size) AS cell
            ) AS x
            WHERE c.mercator_x BETWEEN ST_XMin(box) - pad AND ST_XMax(box) + pad
              AND c.mercator_y BETWEEN ST_YMin(box) - pad AND ST_YMax(box) + pad
            GROUP BY c.local_time::date, c.offense, g.shape, g.size, x.cell;
        END IF;
        INSERT INTO contact_rollup
            (grain, period_start, kind, offense, post, weekday, hour, zone, contacts, diverted)
        SELECT 'day', z.local_time::date,
               CASE WHEN grouping(z.post) = 0 THEN 'post'
                    WHEN grouping(z.zone) = 0 THEN 'zone'
                    WHEN grouping(extract(hour FROM z.local_time)) = 0 THEN 'hour'
                    ELSE 'day' END,
               z.offense, z.post, extract(isodow FROM z.local_time)::integer,
               extract(hour FROM z.local_time)::integer, z.zone,
               count(*), count(*) FILTER (WHERE z.decision = 'diverted')
        FROM contacts_zoned(first_day, last_day, everything, '{}', '{}', '{}', 'any', '{}', ring)
             AS z
        GROUP BY z.local_time::date, z.offense, GROUPING SETS (
            (z.post), (z.zone),
            (extract(isodow FROM z.local_time), extract(hour FROM z.local_time)), ()
        );
        INSERT INTO contact_rollup (grain, period_start, kind, offense, shape, size, i, j,
                                    post, weekday, hour, zone, contacts, diverted)
        SELECT g.grain, date_trunc(g.grain, r.period_start)::date, r.kind, r.offense,
               r.shape, r.size, r.i, r.j, r.post, r.weekday, r.hour, r.zone,
               sum(r.contacts), sum(r.diverted)
        FROM contact_rollup AS r
        CROSS JOIN (VALUES ('month'), ('year')) AS g (grain)
        WHERE r.grain = 'day' AND r.kind <> 'day'
        GROUP BY g.grain, date_trunc(g.grain, r.period_start), r.kind, r.offense, r.shape,
                 r.size, r.i, r.j, r.post, r.weekday, r.hour, r.zone;
    END IF;
    UPDATE contact_rollup_state
    SET current = true, ring_m = ring,
        box_west = ST_XMin(box) - pad, box_south = ST_YMin(box) - pad,
        box_east = ST_XMax(box) + pad, box_north = ST_YMax(box) + pad;
    SELECT count(*) INTO stored FROM contact_rollup;
    RETURN stored;
END
$$;

REVOKE ALL ON FUNCTION contact_rollup_refresh() FROM PUBLIC;
-- The Imports page imports and rolls back as lead_admin (as census_store_refresh).
GRANT EXECUTE ON FUNCTION contact_rollup_refresh() TO lead_admin;
