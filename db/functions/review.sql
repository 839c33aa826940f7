-- Review-meeting figures derived from the capacity and outcome functions, so a review
-- shows the numbers of the Capacity and Referral outcomes pages by construction. Plain SQL
-- functions (SECURITY INVOKER, inlined by the planner): they read no table themselves,
-- and the SECURITY DEFINER functions they call are granted to the same roles (case
-- managers and admins; command and leadership read the releases instead).

-- Program flow in a period, as aggregates only: intakes, exits and the median days from
-- referral to intake of the intakes in the period (capacity_stays); service referrals
-- made in the period and how many of them reached engagement (engaged or completed) by
-- the end of the period (outcome_referrals: each referral's outcome as known that day).
CREATE OR REPLACE FUNCTION review_program_flow(first_day date, last_day date)
RETURNS TABLE (intakes integer, exits integer, median_days_to_intake numeric,
               referrals integer, referrals_engaged integer)
LANGUAGE sql STABLE AS $$
    SELECT s.intakes, s.exits, s.median_wait, r.referrals, r.engaged
    FROM capacity_stays(first_day, last_day) AS s,
         (SELECT coalesce(sum(o.referrals), 0)::integer AS referrals,
                 coalesce(sum(o.referrals) FILTER (
                     WHERE o.outcome IN ('engaged', 'completed')), 0)::integer AS engaged
          FROM outcome_referrals(first_day, last_day) AS o) AS r
$$;

-- Person-level roles only: command and leadership read releases (0016_releases.sql).
REVOKE ALL ON FUNCTION review_program_flow(date, date) FROM PUBLIC, lead_command, lead_leadership;
GRANT EXECUTE ON FUNCTION review_program_flow(date, date) TO lead_case_manager, lead_admin;

-- Service referrals made in a period by service and outcome at the end of the period:
-- outcome_referrals without its months.
CREATE OR REPLACE FUNCTION review_referral_outcomes(first_day date, last_day date)
RETURNS TABLE (service text, outcome text, referrals integer)
LANGUAGE sql STABLE AS $$
    SELECT o.service, o.outcome, sum(o.referrals)::integer
    FROM outcome_referrals(first_day, last_day) AS o
    GROUP BY o.service, o.outcome
$$;

-- Person-level roles only: command and leadership read releases (0016_releases.sql).
REVOKE ALL ON FUNCTION review_referral_outcomes(date, date) FROM PUBLIC, lead_command, lead_leadership;
GRANT EXECUTE ON FUNCTION review_referral_outcomes(date, date) TO lead_case_manager, lead_admin;
