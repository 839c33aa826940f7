-- Review-meeting figures and the targets leadership reviews them against.
-- Targets are program settings with effective dates, set by admins on the Settings page.

INSERT INTO program_setting (key, effective_from, value, note) VALUES
    ('target_capacity_use_pct', DATE '1900-01-01', 90,
     'Target: average active participants as a share of capacity'),
    ('target_referral_to_intake_days', DATE '1900-01-01', 7,
     'Target: median days from referral to intake, at most'),
    ('target_training_coverage_pct', DATE '1900-01-01', 80,
     'Target: share of active Central District officers with current LEAD training'),
    ('target_referral_engagement_pct', DATE '1900-01-01', 60,
     'Target: share of service referrals that reached engagement'),
    ('target_eligible_diverted_pct', DATE '1900-01-01', 50,
     'Target: share of eligible contacts diverted to LEAD')
ON CONFLICT DO NOTHING;

-- Program flow in a period, as aggregates only (command and leadership cannot read
-- enrollments or referrals): intakes, exits, median days referral -> intake of the
-- intakes in the period, service referrals made in the period and how many of them
-- reached engagement (engaged or completed) by the end of the period.
CREATE FUNCTION review_program_flow(first_day date, last_day date)
RETURNS TABLE (intakes integer, exits integer, median_days_to_intake numeric,
               referrals integer, referrals_engaged integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT
        (SELECT count(*) FROM enrollment
          WHERE intake_on BETWEEN first_day AND last_day)::integer,
        (SELECT count(*) FROM enrollment
          WHERE exited_on BETWEEN first_day AND last_day AND intake_on IS NOT NULL)::integer,
        (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY intake_on - referred_on)
           FROM enrollment WHERE intake_on BETWEEN first_day AND last_day)::numeric,
        (SELECT count(*) FROM service_referral
          WHERE referred_on BETWEEN first_day AND last_day)::integer,
        (SELECT count(*) FROM service_referral
          WHERE referred_on BETWEEN first_day AND last_day
            AND outcome IN ('engaged', 'completed') AND outcome_on <= last_day)::integer
$$;

-- Service referrals made in a period by service and outcome at the end of the period.
CREATE FUNCTION review_referral_outcomes(first_day date, last_day date)
RETURNS TABLE (service text, outcome text, referrals integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT service,
           CASE WHEN outcome_on IS NULL OR outcome_on > last_day THEN 'pending'
                ELSE outcome END,
           count(*)::integer
    FROM service_referral
    WHERE referred_on BETWEEN first_day AND last_day
    GROUP BY 1, 2
$$;

REVOKE ALL ON FUNCTION review_program_flow(date, date), review_referral_outcomes(date, date)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION review_program_flow(date, date), review_referral_outcomes(date, date)
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;
