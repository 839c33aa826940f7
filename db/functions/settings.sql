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

-- Each dated value of one setting with the days it is in force: span_from (its
-- effective_from) up to span_to, exclusive (the next effective_from, 'infinity' for the
-- value in force now). Joining rows on span_from <= day < span_to gives each day the
-- value setting_on(setting_key, day) returns (no row before the first effective_from),
-- in one pass instead of one lookup per row (legal_clock, door_flow).
CREATE OR REPLACE FUNCTION setting_spans(setting_key text)
RETURNS TABLE (value numeric, span_from date, span_to date)
LANGUAGE sql STABLE SECURITY DEFINER ROWS 3 SET search_path = public, pg_temp AS $$
    SELECT value, effective_from,
           coalesce(lead(effective_from) OVER (ORDER BY effective_from), DATE 'infinity')
    FROM program_setting
    WHERE key = setting_key
$$;

REVOKE ALL ON FUNCTION setting_spans(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION setting_spans(text)
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;
