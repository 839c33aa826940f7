-- Referral outcomes (issue 6): what happens after diversion, as aggregates only.
--
-- Command and leadership cannot read enrollments or service referrals (42 CFR Part 2),
-- nor run these functions (any window would do: differences of windows give people
-- away); they read the protected releases (0016_releases.sql) that `python -m releases
-- refresh` computes with these functions as the schema owner. The SECURITY DEFINER
-- functions below return counts and quantiles, never a person, and exact counts: case
-- managers and admins see them unsuppressed.
--
-- Conventions shared by the functions:
--   window        first_day..last_day, inclusive, Baltimore dates.
--   outcome at    a service referral's outcome as known on last_day: its recorded
--   last_day      outcome if recorded (outcome_on) by then, else 'pending'.
--   engaged       outcome 'engaged' or 'completed'. A completed referral keeps only its
--                 completion day, so days to engagement use referrals whose recorded
--                 outcome is 'engaged' (outcome_on = day of engagement).
--   contact day   occurred_at in America/New_York.

-- Age bands used by every equity figure.
CREATE OR REPLACE FUNCTION age_group(age integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = public, pg_temp AS $$
    SELECT CASE
        WHEN age IS NULL THEN 'Unknown'
        WHEN age < 25 THEN 'Under 25'
        WHEN age < 35 THEN '25–34'
        WHEN age < 45 THEN '35–44'
        WHEN age < 55 THEN '45–54'
        ELSE '55 and over'
    END
$$;

REVOKE ALL ON FUNCTION age_group(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION age_group(integer)
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;

-- The three groups one person or contact counts in for the equity figures: (dimension,
-- group) for race, sex and age group, missing values as 'Unknown'.
CREATE OR REPLACE FUNCTION equity_groups(race text, sex text, age integer)
RETURNS TABLE (dimension text, grp text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = public, pg_temp AS $$
    VALUES ('race', coalesce(race, 'Unknown')), ('sex', coalesce(sex, 'Unknown')),
           ('age', age_group(age))
$$;

REVOKE ALL ON FUNCTION equity_groups(text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION equity_groups(text, text, integer)
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;

-- Service referrals made in the window, by month of referral, service and outcome as
-- known on last_day.
CREATE OR REPLACE FUNCTION outcome_referrals(first_day date, last_day date)
RETURNS TABLE (month date, service text, outcome text, referrals integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT date_trunc('month', referred_on)::date,
           service,
           CASE WHEN outcome_on IS NULL OR outcome_on > last_day THEN 'pending'
                ELSE outcome END,
           count(*)::integer
    FROM service_referral
    WHERE referred_on BETWEEN first_day AND last_day
    GROUP BY 1, 2, 3
$$;

-- Person-level roles only: command and leadership read releases (0016_releases.sql).
REVOKE ALL ON FUNCTION outcome_referrals(date, date) FROM PUBLIC, lead_command, lead_leadership;
GRANT EXECUTE ON FUNCTION outcome_referrals(date, date) TO lead_case_manager, lead_admin;

-- Days from referral to engagement of the referrals made in the window whose recorded
-- outcome is 'engaged' by last_day: quartiles per service.
CREATE OR REPLACE FUNCTION outcome_engagement_quantiles(first_day date, last_day date)
RETURNS TABLE (service text, referrals integer, p25 numeric, median numeric, p75 numeric)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT service,
           count(*)::integer,
           percentile_cont(0.25) WITHIN GROUP (ORDER BY outcome_on - referred_on)::numeric,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY outcome_on - referred_on)::numeric,
           percentile_cont(0.75) WITHIN GROUP (ORDER BY outcome_on - referred_on)::numeric
    FROM service_referral
    WHERE referred_on BETWEEN first_day AND last_day
      AND outcome = 'engaged' AND outcome_on <= last_day
    GROUP BY service
$$;

-- Person-level roles only: command and leadership read releases (0016_releases.sql).
REVOKE ALL ON FUNCTION outcome_engagement_quantiles(date, date) FROM PUBLIC, lead_command, lead_leadership;
GRANT EXECUTE ON FUNCTION outcome_engagement_quantiles(date, date) TO lead_case_manager, lead_admin;

-- The same referrals counted in bins of days to engagement (bin_high NULL: open-ended).
CREATE OR REPLACE FUNCTION outcome_engagement_bins(first_day date, last_day date)
RETURNS TABLE (service text, bin_low integer, bin_high integer, referrals integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH bins (bin_low, bin_high) AS (
        VALUES (0, 7), (8, 14), (15, 30), (31, 60), (61, 90), (91, NULL::integer)
    )
    SELECT r.service, b.bin_low, b.bin_high, count(*)::integer
    FROM service_referral AS r
    JOIN bins AS b
      ON r.outcome_on - r.referred_on >= b.bin_low
     AND (b.bin_high IS NULL OR r.outcome_on - r.referred_on <= b.bin_high)
    WHERE r.referred_on BETWEEN first_day AND last_day
      AND r.outcome = 'engaged' AND r.outcome_on <= last_day
    GROUP BY r.service, b.bin_low, b.bin_high
$$;

-- Person-level roles only: command and leadership read releases (0016_releases.sql).
REVOKE ALL ON FUNCTION outcome_engagement_bins(date, date) FROM PUBLIC, lead_command, lead_leadership;
GRANT EXECUTE ON FUNCTION outcome_engagement_bins(date, date) TO lead_case_manager, lead_admin;

-- Cohorts by intake month: of the enrollments with an intake in the window, where each
-- stands 3, 6 and 12 months after its intake day d:
--   active     this enrollment has not exited by d (exited_on IS NULL or > d);
--   returned   it exited by d and the same person had a new intake (another
--              enrollment) on or after that exit day and on or before d: re-engaged
--              with LEAD;
--   exited     it exited by d and the person had no new intake by d.
-- A month's horizon is reported only once every member has reached it (as_of is the
-- last day of data), so no cohort figure is based on part of its members.
CREATE OR REPLACE FUNCTION outcome_cohorts(first_day date, last_day date, as_of date)
RETURNS TABLE (intake_month date, months integer, people integer, active integer,
               returned integer, exited integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH horizons (months) AS (VALUES (3), (6), (12)),
    cohort AS (
        SELECT e.enrollment_id, e.person_key, e.intake_on, e.exited_on,
               date_trunc('month', e.intake_on)::date AS intake_month
        FROM enrollment AS e
        WHERE e.intake_on BETWEEN first_day AND last_day
    ),
    -- The person's first new intake on or after each exit (one grouped join, not a
    -- lookup per enrollment and horizon): 'returned' by d when it is on or before d.
    next_intake AS (
        SELECT e.enrollment_id, min(later.intake_on) AS intake_on
        FROM cohort AS e
        JOIN enrollment AS later
          ON later.person_key = e.person_key
         AND later.enrollment_id <> e.enrollment_id
         AND later.intake_on >= e.exited_on
        GROUP BY e.enrollment_id
    ),
    status AS (
        SELECT e.intake_month,
               h.months,
               CASE
                   WHEN e.exited_on IS NULL OR e.exited_on > e.intake_on + make_interval(months => h.months)
                       THEN 'active'
                   WHEN n.intake_on <= e.intake_on + make_interval(months => h.months)
                       THEN 'returned'
                   ELSE 'exited'
               END AS status
        FROM cohort AS e
        LEFT JOIN next_intake AS n ON n.enrollment_id = e.enrollment_id
        CROSS JOIN horizons AS h
        WHERE (e.intake_month + interval '1 month' - interval '1 day'
               + make_interval(months => h.months))::date <= as_of
    )
    SELECT intake_month, months,
           count(*)::integer,
           count(*) FILTER (WHERE status = 'active')::integer,
           count(*) FILTER (WHERE status = 'returned')::integer,
           count(*) FILTER (WHERE status = 'exited')::integer
    FROM status
    GROUP BY intake_month, months
$$;

-- Person-level roles only: command and leadership read releases (0016_releases.sql).
REVOKE ALL ON FUNCTION outcome_cohorts(date, date, date) FROM PUBLIC, lead_command, lead_leadership;
GRANT EXECUTE ON FUNCTION outcome_cohorts(date, date, date) TO lead_case_manager, lead_admin;

-- New police contacts after diversion, beside people who declined diversion.
--   participants  people with an intake in the window; index day = their first intake
--                 in the window;
--   declined      people who declined diversion on a contact in the window and had no
--                 intake in the window; index day = their first such contact.
-- recontacted: the person has a contact (any offence, anywhere in the data) on a day
-- after the index day and no later than the index day plus 6 or 12 months. Only people
-- whose whole follow-up lies on or before as_of are counted. Descriptive, not causal.
CREATE OR REPLACE FUNCTION outcome_recontact(first_day date, last_day date, as_of date)
RETURNS TABLE (grp text, months integer, people integer, recontacted integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH horizons (months) AS (VALUES (6), (12)),
    participants AS (
        SELECT person_key, min(intake_on) AS index_day
        FROM enrollment
        WHERE intake_on BETWEEN first_day AND last_day
        GROUP BY person_key
    ),
    declined AS (
        SELECT c.person_key,
               min((c.occurred_at AT TIME ZONE 'America/New_York')::date) AS index_day
        FROM contact AS c
        WHERE c.decision = 'declined' AND c.person_key IS NOT NULL
          AND c.occurred_at >= first_day::timestamp AT TIME ZONE 'America/New_York'
          AND c.occurred_at < (last_day + 1)::timestamp AT TIME ZONE 'America/New_York'
          AND NOT EXISTS (SELECT 1 FROM participants AS p WHERE p.person_key = c.person_key)
        GROUP BY c.person_key
    ),
    people AS (
        SELECT 'participants' AS grp, person_key, index_day FROM participants
        UNION ALL
        SELECT 'declined', person_key, index_day FROM declined
    ),
    -- Each person's first contact after the index day, one index probe per person
    -- (contact_person_time_cover_idx, migration 0027): recontacted within a horizon when
    -- it falls before the horizon's end (not a lookup per person and horizon).
    followed AS MATERIALIZED (  -- once per person, then the horizons
        SELECT p.grp, p.index_day, n.occurred_at AS first_after
        FROM people AS p
        LEFT JOIN LATERAL (
            SELECT c.occurred_at FROM contact AS c
            WHERE c.person_key = p.person_key
              AND c.occurred_at >= (p.index_day + 1)::timestamp AT TIME ZONE 'America/New_York'
            ORDER BY c.occurred_at
            LIMIT 1
        ) AS n ON true
    )
    SELECT f.grp, h.months,
           count(*)::integer,
           count(*) FILTER (
               WHERE f.first_after < ((f.index_day + make_interval(months => h.months))::date + 1)
                                     ::timestamp AT TIME ZONE 'America/New_York'
           )::integer
    FROM followed AS f
    CROSS JOIN horizons AS h
    WHERE (f.index_day + make_interval(months => h.months))::date <= as_of
    GROUP BY f.grp, h.months
$$;

-- Person-level roles only: command and leadership read releases (0016_releases.sql).
REVOKE ALL ON FUNCTION outcome_recontact(date, date, date) FROM PUBLIC, lead_command, lead_leadership;
GRANT EXECUTE ON FUNCTION outcome_recontact(date, date, date) TO lead_case_manager, lead_admin;

-- Participants with an intake in the window by race, sex and age group (from the contact
-- that led to the referral, else the person's latest contact before referral, else their
-- earliest contact), and how many had a service referral reach engagement by last_day.
CREATE OR REPLACE FUNCTION outcome_equity_engagement(first_day date, last_day date)
RETURNS TABLE (dimension text, grp text, participants integer, engaged integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH intakes AS (
        SELECT e.enrollment_id, d.race, d.sex, d.age,
               EXISTS (SELECT 1 FROM service_referral AS r
                       WHERE r.enrollment_id = e.enrollment_id
                         AND r.outcome IN ('engaged', 'completed')
                         AND r.outcome_on <= last_day) AS engaged
        FROM enrollment AS e
        LEFT JOIN LATERAL (
            SELECT c.race, c.sex, c.age FROM contact AS c
            WHERE c.person_key = e.person_key
            ORDER BY c.contact_id IS NOT DISTINCT FROM e.contact_id DESC,
                     (c.occurred_at AT TIME ZONE 'America/New_York')::date <= e.referred_on DESC,
                     CASE WHEN (c.occurred_at AT TIME ZONE 'America/New_York')::date
                               <= e.referred_on THEN c.occurred_at END DESC NULLS LAST,
                     c.occurred_at
            LIMIT 1
        ) AS d ON true
        WHERE e.intake_on BETWEEN first_day AND last_day
    )
    SELECT g.dimension, g.grp, count(*)::integer, count(*) FILTER (WHERE i.engaged)::integer
    FROM intakes AS i
    CROSS JOIN LATERAL equity_groups(i.race, i.sex, i.age) AS g
    GROUP BY g.dimension, g.grp
$$;

-- Person-level roles only: command and leadership read releases (0016_releases.sql).
REVOKE ALL ON FUNCTION outcome_equity_engagement(date, date) FROM PUBLIC, lead_command, lead_leadership;
GRANT EXECUTE ON FUNCTION outcome_equity_engagement(date, date) TO lead_case_manager, lead_admin;
