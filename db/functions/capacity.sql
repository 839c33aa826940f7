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

-- Active participants per case manager on a day: every case manager on file by name (0
-- when nobody is assigned), plus one row with a NULL case manager for active participants
-- without one, when there are any. Case managers are staff: their names are not about
-- participants; no participant or record id leaves the function.
CREATE OR REPLACE FUNCTION capacity_caseloads(day date)
RETURNS TABLE (case_manager text, organization text, caseload integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH active AS (
        SELECT e.case_manager_id
        FROM enrollment AS e
        WHERE e.intake_on <= day AND (e.exited_on IS NULL OR e.exited_on > day)
    )
    SELECT m.name, m.organization,
           (SELECT count(*) FROM active AS a WHERE a.case_manager_id = m.case_manager_id)::integer
    FROM case_manager AS m
    UNION ALL
    SELECT NULL, NULL, count(*)::integer
    FROM active AS a
    WHERE a.case_manager_id IS NULL
    HAVING count(*) > 0
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
    full_days AS (
        SELECT c.day
        FROM census_daily((SELECT min(referred_on) FROM taken), last_day) AS c
        WHERE c.active >= c.capacity
    )
    SELECT t.intake_on - t.referred_on,
           EXISTS (SELECT 1 FROM full_days AS f
                   WHERE f.day >= t.referred_on AND f.day < t.intake_on),
           count(*)::integer
    FROM taken AS t
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
