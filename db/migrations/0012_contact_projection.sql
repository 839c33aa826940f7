-- Contacts map at 1,000,000 contacts (issue 3): the per-contact values every map query
-- needs, stored once on the contact instead of computed on every read.
--
-- Pilot-to-date queries touch ~650k contacts; their cost was per-row work: the Web
-- Mercator projection and the cell arithmetic in a PL/pgSQL call, and the Baltimore
-- local time (a time-zone conversion) for the training, hour, weekday and week of each
-- contact. These become stored generated columns, computed by PostgreSQL on INSERT and
-- UPDATE (COPY and the ingest upsert included; no loader names them):
--   local_time            occurred_at in America/New_York (as contacts_filtered returned it)
--   mercator_x/mercator_y the point in EPSG:3857 by the closed-form spherical formula,
--                         exactly the arithmetic contact_cell used (0008)
-- The cell arithmetic becomes contact_cell_xy(x, y, shape, size), a plain SQL expression
-- that PostgreSQL inlines (no function call per row) and can run in parallel workers;
-- contact_cell(geom, ...) keeps its signature and results by delegating to it.
-- Nothing that depends on the catchment is stored: it can be re-imported and has
-- validity dates, so the zones query still tests each contact against the areas.

-- EPSG:4326 degrees to EPSG:3857 metres. A latitude the formula cannot project
-- (<= -90 or > 90 degrees) gives NULL rather than failing the insert.
CREATE FUNCTION contact_mercator_x(geom geometry) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT 6378137.0 * radians(ST_X(geom))
$$;

CREATE FUNCTION contact_mercator_y(geom geometry) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN ST_Y(geom) > -90 AND ST_Y(geom) <= 90
                THEN 6378137.0 * ln(tan(pi() / 4 + radians(ST_Y(geom)) / 2)) END
$$;

ALTER TABLE contact
    ADD COLUMN local_time timestamp
        GENERATED ALWAYS AS (occurred_at AT TIME ZONE 'America/New_York') STORED,
    ADD COLUMN mercator_x float8 GENERATED ALWAYS AS (contact_mercator_x(geom)) STORED,
    ADD COLUMN mercator_y float8 GENERATED ALWAYS AS (contact_mercator_y(geom)) STORED;

GRANT SELECT (local_time, mercator_x, mercator_y) ON contact TO lead_leadership;

-- The cell {i, j} of EPSG:3857 point (x, y): contact_cell's arithmetic (see 0008) written
-- as one expression, operation for operation, so results are bit-identical. With
-- h = size * sqrt(3.0), the hexagon's candidate centres are (3 size ka, h ja) in even
-- columns and (3 size kb + 1.5 size, h jb + h / 2) in odd ones. Not STRICT (PostgreSQL
-- does not inline a STRICT function around a CASE); NULL inputs give NULL explicitly.
CREATE FUNCTION contact_cell_xy(x float8, y float8, shape text, size float8) RETURNS bigint[]
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

CREATE OR REPLACE FUNCTION contact_cell(geom geometry, shape text, size float8)
RETURNS bigint[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT contact_cell_xy(contact_mercator_x(geom), contact_mercator_y(geom), shape, size)
$$;

REVOKE ALL ON FUNCTION contact_mercator_x(geometry), contact_mercator_y(geometry),
                       contact_cell_xy(float8, float8, text, float8) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contact_mercator_x(geometry), contact_mercator_y(geometry),
                          contact_cell_xy(float8, float8, text, float8)
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;

-- contacts_filtered (0008) with the stored local time, and the stored projection among
-- its outputs (a changed result type needs DROP and CREATE; the grants are repeated).
-- Still a single inlinable SELECT: the filters, the training join and the occurred_at
-- index behave as before.
DROP FUNCTION contacts_filtered(date, date, text[], text[], text[], text[], text);

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
      AND CASE trained
            WHEN 'any' THEN true
            WHEN 'yes' THEN coalesce(t.spans @> c.local_time::date, false)
            WHEN 'no' THEN NOT coalesce(t.spans @> c.local_time::date, false)
            ELSE false
          END
$$;

REVOKE ALL ON FUNCTION contacts_filtered(date, date, text[], text[], text[], text[], text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contacts_filtered(date, date, text[], text[], text[], text[], text)
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;
