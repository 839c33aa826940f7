-- What the frame every page shares reads for any signed-in role (dashboard/app.py).

-- The first and last contact dates in the data (Baltimore's calendar): the as-of date and
-- the start of "pilot to date". SECURITY DEFINER so that a role with no police records
-- (the prosecutor liaison, migration 0022) gets the two dates and nothing else of them.
CREATE OR REPLACE FUNCTION data_span()
RETURNS TABLE (first_day date, as_of date)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce(min(occurred_at)::date, current_date),
           coalesce(max(occurred_at)::date, current_date)
    FROM contact
$$;

REVOKE ALL ON FUNCTION data_span() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION data_span()
    TO lead_command, lead_leadership, lead_case_manager, lead_admin, lead_prosecutor_liaison;
