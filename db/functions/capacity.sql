-- Program capacity (issue 4): caseloads, stays, intake delays and the waiting list, as
-- aggregates only.
--
-- Command and leadership cannot read enrollments or case managers (42 CFR Part 2), nor run
-- these SECURITY DEFINER functions: they read the releases (0016_releases.sql), computed
-- with them by `python -m releases refresh`; case managers and admins call them. The daily
-- census itself is census_daily() (census.sql); these functions follow its definitions:
--   active on d     intake on or before d, and no exit or an exit after d
--   pending on d    referred on or before d, no intake by d, not closed by d
--   exit            exited_on of an enrollment with an intake
--   closure         exited_on of an enrollment without an intake (closed before intake)
-- Windows are first_day..last_day inclusive.

-- Active participants per case manager on a day, and how many of them are "in the wind"
-- (issue 20: active on the day with neither a meeting, case_meeting, nor the intake in the
-- in_the_wind_days days ending on it, the setting in force that day): every case manager
-- on file by name (0 when nobody is assigned), plus one row with a NULL case manager for
-- active participants without one, when there are any. Case managers are staff: their
-- names are not about participants; no participant or record id leaves the function.
CREATE OR REPLACE FUNCTION capacity_caseloads(day date)
RETURNS TABLE (case_manager text, organization text, caseload integer, in_the_wind integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH quiet AS (
        SELECT day - setting_on('in_the_wind_days', day)::integer AS since
    ),
    per_manager AS (
        SELECT e.case_manager_id, count(*) AS caseload,
               count(*) FILTER (
                   WHERE e.intake_on <= q.since
                     AND NOT EXISTS (SELECT 1 FROM case_meeting AS m
                                     WHERE m.enrollment_id = e.enrollment_id
                                       AND m.met_on > q.since AND m.met_on <= day))
                   AS in_the_wind
        FROM enrollment AS e, quiet AS q
        WHERE e.intake_on <= day AND (e.exited_on IS NULL OR e.exited_on > day)
        GROUP BY e.case_manager_id
    )
    SELECT m.name, m.organization, coalesce(p.caseload, 0)::integer,
           coalesce(p.in_the_wind, 0)::integer
    FROM case_manager AS m
    LEFT JOIN per_manager AS p ON p.case_manager_id = m.case_manager_id
    UNION ALL
    SELECT NULL, NULL, p.caseload::integer, p.in_the_wind::integer
    FROM per_manager AS p
    WHERE p.case_manager_id IS NULL
$$;

-- Person-level roles only: command and leadership read releases (0016_releases.sql).
REVOKE ALL ON FUNCTION capacity_caseloads(date) FROM PUBLIC, lead_command, lead_leadership;
GRANT EXECUTE ON FUNCTION capacity_caseloads(date) TO lead_case_manager, lead_admin;

-- Flow through the program in the window: exits and their median length of stay (days
-- from intake to exit), intakes and their median days from referral to intake, referrals
-- made, and referrals closed before intake.
CREATE OR REPLACE FUNCTION capacity_stays(first_day date, last_day date)
RETURNS TABLE (referrals integer, intakes integer, median_wait numeric, exits integer,
               median_stay numeric, closures integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT
        count(*) FILTER (WHERE referred_on BETWEEN first_day AND last_day)::integer,
        count(*) FILTER (WHERE intake_on BETWEEN first_day AND last_day)::integer,
        (percentile_cont(0.5) WITHIN GROUP (ORDER BY intake_on - referred_on)
            FILTER (WHERE intake_on BETWEEN first_day AND last_day))::numeric,
        count(*) FILTER (WHERE intake_on IS NOT NULL
                           AND exited_on BETWEEN first_day AND last_day)::integer,
        (percentile_cont(0.5) WITHIN GROUP (ORDER BY exited_on - intake_on)
            FILTER (WHERE intake_on IS NOT NULL
                      AND exited_on BETWEEN first_day AND last_day))::numeric,
        count(*) FILTER (WHERE intake_on IS NULL
                           AND exited_on BETWEEN first_day AND last_day)::integer
    FROM enrollment
$$;

-- Person-level roles only: command and leadership read releases (0016_releases.sql).
REVOKE ALL ON FUNCTION capacity_stays(date, date) FROM PUBLIC, lead_command, lead_leadership;
GRANT EXECUTE ON FUNCTION capacity_stays(date, date) TO lead_case_manager, lead_admin;

-- Intakes in the window by days from referral to intake, split by whether the program
-- was at or over capacity on any day the person waited (referral day to the day before
-- intake): those waits include time spent waiting for a slot.
CREATE OR REPLACE FUNCTION capacity_intake_delays(first_day date, last_day date)
RETURNS TABLE (delay_days integer, waited_at_capacity boolean, intakes integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH taken AS (
        SELECT referred_on, intake_on
        FROM enrollment
        WHERE intake_on BETWEEN first_day AND last_day
    ),
    full_through AS (  -- days at or over capacity up to each day, a running count
        SELECT c.day, sum((c.active >= c.capacity)::integer) OVER (ORDER BY c.day) AS full_days
        FROM census_daily((SELECT min(referred_on) FROM taken) - 1, last_day) AS c
    )
    SELECT t.intake_on - t.referred_on,
           coalesce(i.full_days, 0) - coalesce(r.full_days, 0) > 0,  -- referral .. intake - 1
           count(*)::integer
    FROM taken AS t
    LEFT JOIN full_through AS i ON i.day = t.intake_on - 1
    LEFT JOIN full_through AS r ON r.day = t.referred_on - 1
    GROUP BY 1, 2
$$;

-- Person-level roles only: command and leadership read releases (0016_releases.sql).
REVOKE ALL ON FUNCTION capacity_intake_delays(date, date) FROM PUBLIC, lead_command, lead_leadership;
GRANT EXECUTE ON FUNCTION capacity_intake_delays(date, date) TO lead_case_manager, lead_admin;

-- Referrals pending on a day, by days since referral.
CREATE OR REPLACE FUNCTION capacity_pending_ages(day date)
RETURNS TABLE (age_days integer, pending integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT day - referred_on, count(*)::integer
    FROM enrollment
    WHERE referred_on <= day
      AND (intake_on IS NULL OR intake_on > day)
      AND (exited_on IS NULL OR exited_on > day)
    GROUP BY 1
$$;

-- Person-level roles only: command and leadership read releases (0016_releases.sql).
REVOKE ALL ON FUNCTION capacity_pending_ages(date) FROM PUBLIC, lead_command, lead_leadership;
GRANT EXECUTE ON FUNCTION capacity_pending_ages(date) TO lead_case_manager, lead_admin;
