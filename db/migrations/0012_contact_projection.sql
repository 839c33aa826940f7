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
--                         exactly the arithmetic contact_cell used
-- The functions that read them (contacts_filtered, contact_cell_xy, contact_cell) are in
-- db/functions/contacts.sql; the two below stay here, as the generated columns need them.
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

REVOKE ALL ON FUNCTION contact_mercator_x(geometry), contact_mercator_y(geometry) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contact_mercator_x(geometry), contact_mercator_y(geometry)
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;
