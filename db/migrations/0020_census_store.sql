-- The daily census stored (issue 18): census_daily() (db/functions/census.sql) answers
-- from census_store when it is current and covers the days asked, else computes them as
-- before. The stored census is a pure function of enrollment and program_setting
-- (capacity and intake window by effective date), so any statement writing either table
-- marks it not current in the same transaction: no reader can see a stored census older
-- than the enrollments beside it (a reader's snapshot holds both or neither). Imports
-- refresh it before they commit (census_store_refresh(), in the import's transaction);
-- until then, and after a settings change, pages compute the census as they always did.

CREATE TABLE census_store (
    day        date PRIMARY KEY,
    active     integer NOT NULL,
    pending    integer NOT NULL,
    overdue    integer NOT NULL,
    referrals  integer NOT NULL,
    intakes    integer NOT NULL,
    exits      integer NOT NULL,
    capacity   integer NOT NULL
);

-- One row: whether census_store holds the census of the current inputs, and its days.
CREATE TABLE census_store_state (
    only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    current    boolean NOT NULL DEFAULT false,
    first_day  date,
    last_day   date,
    CHECK (NOT current OR first_day <= last_day)
);
INSERT INTO census_store_state DEFAULT VALUES;

-- SECURITY DEFINER: lead_admin changes settings and imports, but may not write the state.
CREATE FUNCTION census_store_outdated() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE census_store_state SET current = false WHERE current;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION census_store_outdated() FROM PUBLIC;

CREATE TRIGGER enrollment_census_store AFTER INSERT OR UPDATE OR DELETE ON enrollment
    FOR EACH STATEMENT EXECUTE FUNCTION census_store_outdated();
CREATE TRIGGER enrollment_truncate_census_store AFTER TRUNCATE ON enrollment
    FOR EACH STATEMENT EXECUTE FUNCTION census_store_outdated();
CREATE TRIGGER program_setting_census_store AFTER INSERT OR UPDATE OR DELETE ON program_setting
    FOR EACH STATEMENT EXECUTE FUNCTION census_store_outdated();
CREATE TRIGGER program_setting_truncate_census_store AFTER TRUNCATE ON program_setting
    FOR EACH STATEMENT EXECUTE FUNCTION census_store_outdated();

-- Person-level figures: read only through census_daily (case managers, admins).
REVOKE ALL ON census_store, census_store_state FROM PUBLIC;
