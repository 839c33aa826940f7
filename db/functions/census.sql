-- The program census by day, computed in SQL over date ranges: who is active, who waits
-- for intake, who waits too long, against the capacity in force that day.
--   active on d:   intake on or before d, and no exit or an exit after d
--   pending on d:  referred on or before d, no intake by d, not closed by d
--   overdue on d:  pending for longer than the intake window in force on d
-- SECURITY DEFINER, for case managers, admins and the release refresh: command and
-- leadership read the same public census stored in census_day and census_week
-- (0016_releases.sql), since a function over any window would serve other counts too.
--
-- Computed from running sums of daily events rather than by joining every day to every
-- open enrollment: the join grew with days x open enrollments (29 million rows, 16 s,
-- for four years of a city-wide program in the benchmark); running sums grow with
-- days + enrollments.
--   active on d   = intakes up to d - exits (of people taken in) up to d
--   pending on d  = referrals up to d - intakes up to d - closures (exit without intake) up to d
--     (an exit is never before its intake, so nobody is counted twice)
--   overdue on d  = pending on d and referred more than the intake window in force on d
--     before d; only referrals that waited longer than the shortest window are candidates.
--     Also a running sum: each long wait is overdue from referral + window + 1 to the day
--     before its wait ended, cut into the runs of days with one window (joining every day
--     to every long wait took 30 s over 8 years at 1M contacts in the stress profile).
-- The day list is MATERIALIZED so setting_on() runs once per day, not once per joined row
-- (as a plain CTE it was inlined into the join: 1.5 s instead of 0.2 s for three years).

CREATE OR REPLACE FUNCTION census_compute(first_day date, last_day date)
RETURNS TABLE (day date, active integer, pending integer, overdue integer,
               referrals integer, intakes integer, exits integer, capacity integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH days AS MATERIALIZED (
        SELECT d::date AS day,
               setting_on('capacity', d::date)::integer AS capacity,
               setting_on('intake_window_days', d::date)::integer AS intake_window
        FROM generate_series(first_day, last_day, interval '1 day') AS d
    ),
    events (day, referred, taken_in, exited, closed) AS (
        SELECT referred_on, 1, 0, 0, 0 FROM enrollment WHERE referred_on <= last_day
        UNION ALL
        SELECT intake_on, 0, 1, 0, 0 FROM enrollment WHERE intake_on <= last_day
        UNION ALL
        SELECT exited_on, 0, 0, 1, 0 FROM enrollment
        WHERE exited_on <= last_day AND intake_on IS NOT NULL
        UNION ALL
        SELECT exited_on, 0, 0, 0, 1 FROM enrollment
        WHERE exited_on <= last_day AND intake_on IS NULL
    ),
    earlier AS (
        SELECT coalesce(sum(referred), 0) AS referred, coalesce(sum(taken_in), 0) AS taken_in,
               coalesce(sum(exited), 0) AS exited, coalesce(sum(closed), 0) AS closed
        FROM events WHERE day < first_day
    ),
    daily AS (
        SELECT day, sum(referred) AS referred, sum(taken_in) AS taken_in,
               sum(exited) AS exited, sum(closed) AS closed
        FROM events WHERE day >= first_day GROUP BY day
    ),
    running AS (
        SELECT days.day, days.capacity,
               coalesce(daily.referred, 0) AS referrals,
               coalesce(daily.taken_in, 0) AS intakes,
               coalesce(daily.exited, 0) AS exits,
               earlier.referred + sum(coalesce(daily.referred, 0)) OVER w AS all_referred,
               earlier.taken_in + sum(coalesce(daily.taken_in, 0)) OVER w AS all_taken_in,
               earlier.exited + sum(coalesce(daily.exited, 0)) OVER w AS all_exited,
               earlier.closed + sum(coalesce(daily.closed, 0)) OVER w AS all_closed
        FROM days CROSS JOIN earlier LEFT JOIN daily ON daily.day = days.day
        WINDOW w AS (ORDER BY days.day)
    ),
    long_waits AS (
        SELECT referred_on, coalesce(intake_on, exited_on) AS ended
        FROM enrollment
        WHERE referred_on <= last_day
          AND coalesce(intake_on, exited_on, last_day + 1) - referred_on
              > (SELECT min(intake_window) FROM days)
          AND coalesce(intake_on, exited_on, last_day + 1) > first_day
    ),
    windows AS (  -- runs of consecutive days with one intake window
        SELECT min(day) AS span_from, max(day) AS span_to, intake_window
        FROM (SELECT day, intake_window,
                     day - (row_number() OVER (PARTITION BY intake_window ORDER BY day))::integer
                         AS island
              FROM days) AS d
        GROUP BY intake_window, island
    ),
    overdue_spans AS (  -- the days each long wait is overdue, within each run
        SELECT greatest(w.referred_on + s.intake_window + 1, s.span_from) AS starts,
               least(coalesce(w.ended, last_day + 1) - 1, s.span_to) AS ends
        FROM long_waits AS w JOIN windows AS s
          ON w.referred_on + s.intake_window + 1 <= s.span_to
         AND coalesce(w.ended, last_day + 1) - 1 >= s.span_from
    ),
    overdue_changes AS (
        SELECT day, sum(change) AS change
        FROM (SELECT starts AS day, 1 AS change FROM overdue_spans WHERE starts <= ends
              UNION ALL
              SELECT ends + 1, -1 FROM overdue_spans WHERE starts <= ends) AS e
        GROUP BY day
    ),
    overdue AS (
        SELECT days.day, sum(coalesce(c.change, 0)) OVER (ORDER BY days.day) AS overdue
        FROM days LEFT JOIN overdue_changes AS c ON c.day = days.day
    )
    SELECT r.day,
           (r.all_taken_in - r.all_exited)::integer,
           (r.all_referred - r.all_taken_in - r.all_closed)::integer,
           coalesce(o.overdue, 0)::integer,
           r.referrals::integer, r.intakes::integer, r.exits::integer, r.capacity
    FROM running AS r LEFT JOIN overdue AS o ON o.day = r.day
    ORDER BY r.day
$$;

-- Called by census_daily and census_store_refresh (both SECURITY DEFINER) only.
REVOKE ALL ON FUNCTION census_compute(date, date) FROM PUBLIC;

-- The census of the days asked: from census_store when it is current and covers them
-- (0020_census_store.sql: any write to enrollment or program_setting marks it outdated
-- in the same transaction), else computed. A STABLE function's statements all see the
-- caller's snapshot, so the state checked and the rows read belong together.
CREATE OR REPLACE FUNCTION census_daily(first_day date, last_day date)
RETURNS TABLE (day date, active integer, pending integer, overdue integer,
               referrals integer, intakes integer, exits integer, capacity integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM census_store_state AS s
               WHERE s.current AND s.first_day <= census_daily.first_day
                 AND s.last_day >= census_daily.last_day) THEN
        RETURN QUERY
            SELECT c.day, c.active, c.pending, c.overdue, c.referrals, c.intakes, c.exits,
                   c.capacity
            FROM census_store AS c
            WHERE c.day BETWEEN census_daily.first_day AND census_daily.last_day
            ORDER BY c.day;
    ELSE
        RETURN QUERY SELECT * FROM census_compute(census_daily.first_day, census_daily.last_day);
    END IF;
END $$;

-- Person-level roles only: command and leadership read releases (0016_releases.sql).
REVOKE ALL ON FUNCTION census_daily(date, date) FROM PUBLIC, lead_command, lead_leadership;
GRANT EXECUTE ON FUNCTION census_daily(date, date) TO lead_case_manager, lead_admin;

-- Store the census again if an import or a settings change outdated it: every day from
-- two years before the first referral to two years after the later of today and the last
-- enrollment date, so the pages' periods and the forecast's start fall inside. Runs in
-- the caller's transaction (an import's, before it commits). Returns the days stored
-- (0: it was current).
CREATE OR REPLACE FUNCTION census_store_refresh()
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    low date;
    high date;
    stored integer;
BEGIN
    PERFORM 1 FROM census_store_state FOR UPDATE;
    IF (SELECT current FROM census_store_state) THEN
        RETURN 0;
    END IF;
    SELECT least(min(e.referred_on), current_date) - 730,
           greatest(max(greatest(e.referred_on, e.intake_on, e.exited_on)), current_date) + 730
    INTO low, high
    FROM enrollment AS e;
    DELETE FROM census_store;
    INSERT INTO census_store SELECT * FROM census_compute(low, high);
    GET DIAGNOSTICS stored = ROW_COUNT;
    UPDATE census_store_state SET current = true, first_day = low, last_day = high;
    RETURN stored;
END $$;

REVOKE ALL ON FUNCTION census_store_refresh() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION census_store_refresh() TO lead_admin;
