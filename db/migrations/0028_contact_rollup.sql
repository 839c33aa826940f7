-- The contacts map at 10 million contacts (issue 18): its counts stored by day, month and
-- year, refreshed in each import's transaction (contact_rollup_refresh(), in
-- db/functions/contacts.sql, beside the queries that read it).
--
-- At 10M contacts the last 30 days hold ~200,000 contacts and the pilot to date ~5.5M:
-- every map query counted each of them again on every page run (seconds per query). The
-- rollup holds, per grain ('day', 'month', 'year'; a period is covered by the fewest
-- whole years, then months, then days: contact_rollup_parts) and offence:
--   kind 'cell'  contacts and diverted per grid cell, for the grids of contact_rollup_grid
--                and only around the study region (box_* below; the page draws no cell
--                outside it)
--   kind 'post'  contacts and diverted per post recorded on the contact (NULL: none)
--   kind 'hour'  contacts per Baltimore weekday and hour
--   kind 'zone'  contacts and diverted inside the catchment in force, in the ring of ring_m
--                (below) around it, and further out
--   kind 'day'   contacts and diverted (day grain only: the weekly chart)
-- The queries read it only for the page's default filters (every pathway, decision, post,
-- shift, trained or not) and when it is current; otherwise, and for a grid, box or ring
-- it does not hold, they count the contacts as before. Any statement writing contact or
-- program_area marks it not current in the same transaction, so no reader sees a rollup
-- older than the contacts beside it; a setting change needs nothing (the ring it was made
-- with is recorded and compared).

CREATE TABLE contact_rollup (
    grain         text NOT NULL CHECK (grain IN ('day', 'month', 'year')),
    period_start  date NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('cell', 'post', 'hour', 'zone', 'day')),
    offense       text NOT NULL,
    shape         text,
    size          float8,
    i             bigint,
    j             bigint,
    post          text,
    weekday       integer,
    hour          integer,
    zone          text,
    contacts      bigint NOT NULL,
    diverted      bigint NOT NULL
);
CREATE INDEX contact_rollup_period_idx ON contact_rollup (kind, grain, period_start);

-- The grids whose cells are stored (shape, size as geo.cells.Grid.size sends it): the
-- page's default, hexagons of 100 m x 100 m. Another grid is counted from the contacts.
CREATE TABLE contact_rollup_grid (
    shape  text NOT NULL CHECK (shape IN ('hexagon', 'square')),
    size   float8 NOT NULL CHECK (size > 0),
    PRIMARY KEY (shape, size)
);
-- edge of a hexagon of 100 m x 100 m, scaled by 1 / cos(latitude of Lexington Market)
INSERT INTO contact_rollup_grid
VALUES ('hexagon', 100 / sqrt(3 * sqrt(3.0) / 2) / cos(radians(39.29189)));

-- One row: whether the rollup holds the current contacts and areas, the ring it was
-- counted with and the EPSG:3857 box its cells cover.
CREATE TABLE contact_rollup_state (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    current   boolean NOT NULL DEFAULT false,
    ring_m    float8,
    box_west  float8,
    box_south float8,
    box_east  float8,
    box_north float8
);
INSERT INTO contact_rollup_state DEFAULT VALUES;

-- SECURITY DEFINER: lead_admin writes contacts and areas, but may not write the state.
CREATE FUNCTION contact_rollup_outdated() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE contact_rollup_state SET current = false WHERE current;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION contact_rollup_outdated() FROM PUBLIC;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['contact', 'program_area'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION contact_rollup_outdated()',
                       t || '_rollup_outdated', t);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION contact_rollup_outdated()',
                       t || '_truncate_rollup_outdated', t);
    END LOOP;
END $$;

-- Police counts, no person: the roles that run the map's queries read them (small counts
-- are hidden by the page, as for the counts it computes).
REVOKE ALL ON contact_rollup, contact_rollup_grid, contact_rollup_state FROM PUBLIC;
GRANT SELECT ON contact_rollup, contact_rollup_grid, contact_rollup_state
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;
