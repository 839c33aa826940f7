-- Program settings in force on a day (program_setting, migration 0001): the value of the
-- row with the latest effective_from on or before the day, NULL when there is none.
-- SECURITY DEFINER so every role reads the rules through one definition.

CREATE OR REPLACE FUNCTION setting_on(setting_key text, day date) RETURNS numeric
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT value FROM program_setting
    WHERE key = setting_key AND effective_from <= day
    ORDER BY effective_from DESC LIMIT 1
$$;

REVOKE ALL ON FUNCTION setting_on(text, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION setting_on(text, date)
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;
