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
-- The day list is MATERIALIZED so setting_on() runs once per day, not once per joined row
-- (as a plain CTE it was inlined into the join: 1.5 s instead of 0.2 s for three years).

CREATE OR REPLACE FUNCTION census_daily(first_day date, last_day date)
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
    overdue AS (
        SELECT days.day, count(*) AS overdue
        FROM days JOIN long_waits AS w
          ON w.referred_on < days.day - days.intake_window
         AND (w.ended IS NULL OR w.ended > days.day)
        GROUP BY days.day
    )
    SELECT r.day,
           (r.all_taken_in - r.all_exited)::integer,
           (r.all_referred - r.all_taken_in - r.all_closed)::integer,
           coalesce(o.overdue, 0)::integer,
           r.referrals::integer, r.intakes::integer, r.exits::integer, r.capacity
    FROM running AS r LEFT JOIN overdue AS o ON o.day = r.day
    ORDER BY r.day
$$;

-- Person-level roles only: command and leadership read releases (0016_releases.sql).
REVOKE ALL ON FUNCTION census_daily(date, date) FROM PUBLIC, lead_command, lead_leadership;
GRANT EXECUTE ON FUNCTION census_daily(date, date) TO lead_case_manager, lead_admin;
