-- The program census by day, computed in SQL over date ranges: who is active, who waits
-- for intake, who waits too long, against the capacity in force that day.
--   active on d:   intake on or before d, and no exit or an exit after d
--   pending on d:  referred on or before d, no intake by d, not closed by d
--   overdue on d:  pending for longer than the intake window in force on d
-- SECURITY DEFINER: roles without access to person-level enrollments (command,
-- leadership) get these program-wide counts and nothing else.

CREATE FUNCTION setting_on(setting_key text, day date) RETURNS numeric
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT value FROM program_setting
    WHERE key = setting_key AND effective_from <= day
    ORDER BY effective_from DESC LIMIT 1
$$;

CREATE FUNCTION census_daily(first_day date, last_day date)
RETURNS TABLE (day date, active integer, pending integer, overdue integer,
               referrals integer, intakes integer, exits integer, capacity integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH days AS (
        SELECT d::date AS day,
               setting_on('capacity', d::date)::integer AS capacity,
               setting_on('intake_window_days', d::date)::integer AS intake_window
        FROM generate_series(first_day, last_day, interval '1 day') AS d
    )
    SELECT days.day,
           count(e.*) FILTER (WHERE e.intake_on <= days.day
                                AND (e.exited_on IS NULL OR e.exited_on > days.day))::integer,
           count(e.*) FILTER (WHERE (e.intake_on IS NULL OR e.intake_on > days.day)
                                AND (e.exited_on IS NULL OR e.exited_on > days.day))::integer,
           count(e.*) FILTER (WHERE (e.intake_on IS NULL OR e.intake_on > days.day)
                                AND (e.exited_on IS NULL OR e.exited_on > days.day)
                                AND days.day - e.referred_on > days.intake_window)::integer,
           count(e.*) FILTER (WHERE e.referred_on = days.day)::integer,
           count(e.*) FILTER (WHERE e.intake_on = days.day)::integer,
           count(e.*) FILTER (WHERE e.exited_on = days.day AND e.intake_on IS NOT NULL)::integer,
           days.capacity
    FROM days
    LEFT JOIN enrollment AS e
           ON e.referred_on <= days.day
          AND (e.exited_on IS NULL OR e.exited_on >= days.day)
    GROUP BY days.day, days.capacity
    ORDER BY days.day
$$;

REVOKE ALL ON FUNCTION setting_on(text, date), census_daily(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION setting_on(text, date), census_daily(date, date)
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;
