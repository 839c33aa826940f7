-- Data version (issue 17): one cheap number that moves whenever what the pages show may
-- change (an import, a settings change, an area change, a release refresh), so the
-- dashboard keys its cached results by it and the next page run after a CLI import is
-- current. The version is sum(version) over data_version.
--
-- Every statement that writes one of the tables below bumps one counter row in the same
-- transaction, so readers see the new number exactly when they can see the new rows (a
-- sequence would move before the commit, and a page could cache old rows under the new
-- number). The row is the writing backend's slot (pid % 64), not one shared row: two
-- imports running at once lock different rows, and a transaction only ever locks its
-- own slot, so the counter adds no waits between sessions and no deadlock. The audit
-- log and the accounts are left out: page views and sign-ins do not change figures.
--
-- Also: no stored area may break the pages' geometry (ST_Union of the catchments, the
-- ring's buffer). The importer checks areas (ingest/areas.py), but rows stored before it
-- did, or written directly, may be self-intersecting or slivers thinner than a
-- centimetre, on which GEOS fails ("side location conflict"). Every geometry written to
-- program_area is therefore snapped to a 1e-7 degree grid (about 1 cm), made valid,
-- polygons only, and clipped to a box of about 50 km around the city (lon -77.2 to -76.0,
-- lat 38.7 to 39.9: far wider than the importer's region, so no accepted area changes),
-- so that no area reaches where the pages' projections fail (a whole-world polygon,
-- projected coordinates read as degrees). Rows already stored are repaired once below.
-- An area left empty by that is kept (its row is the record) and counts as no area.

CREATE TABLE data_version (
    slot     integer PRIMARY KEY CHECK (slot BETWEEN 0 AND 63),
    version  bigint NOT NULL DEFAULT 0
);
INSERT INTO data_version (slot) SELECT generate_series(0, 63);

-- SECURITY DEFINER: lead_admin changes settings but may not write the counter directly.
CREATE FUNCTION bump_data_version() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE data_version SET version = version + 1 WHERE slot = pg_backend_pid() % 64;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION bump_data_version() FROM PUBLIC;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY[
        'contact', 'officer', 'training', 'case_manager', 'enrollment', 'service_referral',
        'program_area', 'program_setting', 'dataset_meta', 'import_batch', 'import_rejection',
        'release', 'release_figure', 'release_statistic', 'census_day', 'census_week']
    LOOP
        EXECUTE format(
            'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I '
            'FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()',
            t || '_data_version', t);
        EXECUTE format(
            'CREATE TRIGGER %I AFTER TRUNCATE ON %I '
            'FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()',
            t || '_truncate_data_version', t);
    END LOOP;
END $$;

-- A count of changes, nothing more: every login reads it (the dashboard's reads it before
-- anyone has signed in, with no role set).
GRANT SELECT ON data_version TO PUBLIC;

CREATE FUNCTION program_area_usable_geometry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.geom := ST_Multi(ST_CollectionExtract(ST_Intersection(
        ST_MakeValid(ST_SnapToGrid(NEW.geom, 1e-7)),
        ST_MakeEnvelope(-77.2, 38.7, -76.0, 39.9, 4326)), 3));
    RETURN NEW;
END $$;
CREATE TRIGGER program_area_usable_geometry BEFORE INSERT OR UPDATE OF geom ON program_area
    FOR EACH ROW EXECUTE FUNCTION program_area_usable_geometry();
UPDATE program_area SET geom = geom;
