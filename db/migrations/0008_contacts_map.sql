-- Contacts map (issue 3): the page's contact filters and its grid cells, each defined once.
--
-- contacts_filtered() is the set every contacts-map query starts from: contacts of a
-- period (Baltimore days) by offence, pathway, decision, recorded post and whether the
-- officer held a current LEAD training that day. An empty pathway/decision/post array
-- means "all". Unknown values match nothing; no value ever becomes SQL text.
--
-- It is a plain SQL function (SECURITY INVOKER, STABLE, one SELECT, no SET clause) so
-- PostgreSQL inlines it into the calling query: the occurred_at index still bounds the
-- scan, unused output columns cost nothing, and the caller's role decides what may be
-- read. Training is current on day d when completed_on <= d <= expires_on (or no
-- expiry): each officer's trainings become one date multirange, joined by hash; with
-- trained = 'any' the CASE folds to true and the planner drops the join altogether.
-- It returns no person key, so leadership (no access to contact.person_key) can use it.

CREATE FUNCTION contacts_filtered(
    first_day date,
    last_day date,
    offenses text[],
    pathways text[],
    decisions text[],
    posts text[],
    trained text
)
RETURNS TABLE (
    contact_id text,
    occurred_at timestamptz,
    local_time timestamp,
    geom geometry,
    offense text,
    pathway text,
    decision text,
    post text
)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT c.contact_id, c.occurred_at, c.occurred_at AT TIME ZONE 'America/New_York',
           c.geom, c.offense, c.pathway, c.decision, c.post
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
      AND CASE trained
            WHEN 'any' THEN true
            WHEN 'yes' THEN coalesce(
                t.spans @> (c.occurred_at AT TIME ZONE 'America/New_York')::date, false)
            WHEN 'no' THEN NOT coalesce(
                t.spans @> (c.occurred_at AT TIME ZONE 'America/New_York')::date, false)
            ELSE false
          END
$$;

REVOKE ALL ON FUNCTION contacts_filtered(date, date, text[], text[], text[], text[], text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contacts_filtered(date, date, text[], text[], text[], text[], text)
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;

-- The density cell of a point, by arithmetic rather than a spatial join against a
-- generated grid: the point is projected to Web Mercator (EPSG:3857, closed-form
-- spherical formula) and snapped to the cell whose centre is nearest. The cells are
-- exactly PostGIS's own ST_Square(size, i, j) and ST_Hexagon(size, i, j) with origin
-- (0, 0) in EPSG:3857 (flat-topped hexagons, size = edge length; odd columns shifted up
-- by half a row). Hexagon centres form two rectangular lattices (even and odd columns);
-- the nearest centre is the nearer of the nearest centre of each. Returns {i, j}.
-- geo/cells.py mirrors this arithmetic in numpy; tests check both against ST_Hexagon.
-- PL/pgSQL so x and y are computed once per point (an inlined SQL expression would
-- repeat the projection for every use).
CREATE FUNCTION contact_cell(geom geometry, shape text, size float8) RETURNS bigint[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    x float8 := 6378137.0 * radians(ST_X(geom));
    y float8 := 6378137.0 * ln(tan(pi() / 4 + radians(ST_Y(geom)) / 2));
    h float8 := size * sqrt(3.0);  -- hexagon height (distance between row centres)
    ka float8;
    ja float8;
    kb float8;
    jb float8;
BEGIN
    IF shape = 'square' THEN
        RETURN ARRAY[floor(x / size), floor(y / size)]::bigint[];
    ELSIF shape <> 'hexagon' THEN
        RETURN NULL;
    END IF;
    ka := round(x / (3 * size));
    ja := round(y / h);
    kb := round((x - 1.5 * size) / (3 * size));
    jb := round((y - h / 2) / h);
    IF (x - 3 * size * ka) ^ 2 + (y - h * ja) ^ 2
       <= (x - 3 * size * kb - 1.5 * size) ^ 2 + (y - h * jb - h / 2) ^ 2 THEN
        RETURN ARRAY[2 * ka, ja]::bigint[];
    END IF;
    RETURN ARRAY[2 * kb + 1, jb]::bigint[];
END $$;

-- The outline of cell {i, j} in EPSG:4326 (for index look-ups around one cell).
CREATE FUNCTION contact_cell_outline(shape text, size float8, i bigint, j bigint)
RETURNS geometry
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ST_Transform(
        CASE shape
            WHEN 'square' THEN ST_Square(size, i::integer, j::integer, 'SRID=3857;POINT(0 0)')
            WHEN 'hexagon' THEN ST_Hexagon(size, i::integer, j::integer, 'SRID=3857;POINT(0 0)')
        END, 4326)
$$;

REVOKE ALL ON FUNCTION contact_cell(geometry, text, float8),
                       contact_cell_outline(text, float8, bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contact_cell(geometry, text, float8),
                          contact_cell_outline(text, float8, bigint, bigint)
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;
