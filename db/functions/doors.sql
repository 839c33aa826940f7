-- Referral doors, the warm handoff and caseloads with participants "in the wind"
-- (issue 20), as aggregates only (migration 0021 for the columns and case_meeting).
--
-- Command and leadership cannot read enrollments, nor run these SECURITY DEFINER
-- functions: they read the releases (0016_releases.sql) that `python -m releases refresh`
-- computes with them. Case managers and admins see them exact.
--
-- Definitions (windows are first_day..last_day inclusive, Baltimore dates):
--   door            enrollment.door: arrest, social_contact or community
--   referral        an enrollment referred in the window
--   intake, active  as in capacity.sql (active on d: intake on or before d, no exit by d)
--   handoff         a referral of the window whose case manager met the person after the
--                   officer's contact: minutes from contact.occurred_at to handoff_at;
--                   only referrals naming a contact (arrest and social-contact doors)
--   within target   a handoff of at most warm_handoff_target_minutes (the setting in
--                   force on the referral day); a referral without a recorded handoff is
--                   not within target
-- Participants "in the wind" per case manager: capacity_caseloads (capacity.sql).

-- Referrals, intakes and handoffs of the window and participants active on last_day, by
-- door (every door, zeros included), with the median handoff in minutes. Two grouped
-- passes over enrollment (referrals of the window; intakes up to last_day), the target
-- joined from setting_spans, instead of a lookup per referral and a scan per door.
CREATE OR REPLACE FUNCTION door_flow(first_day date, last_day date)
RETURNS TABLE (door text, referrals integer, intakes integer, active integer,
               handoffs integer, within_target integer, median_handoff numeric)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH doors (door, position) AS (
        VALUES ('arrest', 1), ('social_contact', 2), ('community', 3)
    ),
    referred AS (
        SELECT e.door,
               count(*) AS referrals,
               count(m.minutes) AS handoffs,
               count(*) FILTER (WHERE m.minutes <= t.value) AS within_target,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY m.minutes) AS median_handoff
        FROM enrollment AS e
        LEFT JOIN contact AS c ON c.contact_id = e.contact_id
        LEFT JOIN setting_spans('warm_handoff_target_minutes') AS t
          ON e.referred_on >= t.span_from AND e.referred_on < t.span_to
        CROSS JOIN LATERAL (
            SELECT extract(epoch FROM e.handoff_at - c.occurred_at) / 60 AS minutes
        ) AS m
        WHERE e.referred_on BETWEEN first_day AND last_day
        GROUP BY e.door
    ),
    taken_in AS (
        SELECT e.door,
               count(*) FILTER (WHERE e.intake_on >= first_day) AS intakes,
               count(*) FILTER (WHERE e.exited_on IS NULL OR e.exited_on > last_day) AS active
        FROM enrollment AS e
        WHERE e.intake_on <= last_day
        GROUP BY e.door
    )
    SELECT d.door,
           coalesce(r.referrals, 0)::integer,
           coalesce(i.intakes, 0)::integer,
           coalesce(i.active, 0)::integer,
           coalesce(r.handoffs, 0)::integer,
           coalesce(r.within_target, 0)::integer,
           r.median_handoff::numeric
    FROM doors AS d
    LEFT JOIN referred AS r ON r.door = d.door
    LEFT JOIN taken_in AS i ON i.door = d.door
    ORDER BY d.position
$$;

-- Service referrals made in the window by the door of their enrollment and the outcome
-- as known on last_day (as outcome_referrals).
CREATE OR REPLACE FUNCTION door_outcomes(first_day date, last_day date)
RETURNS TABLE (door text, outcome text, referrals integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT e.door,
           CASE WHEN s.outcome_on IS NULL OR s.outcome_on > last_day THEN 'pending'
                ELSE s.outcome END,
           count(*)::integer
    FROM service_referral AS s
    JOIN enrollment AS e ON e.enrollment_id = s.enrollment_id
    WHERE s.referred_on BETWEEN first_day AND last_day
    GROUP BY 1, 2
$$;

-- Person-level roles only, for both functions of this file (see the header).
REVOKE ALL ON FUNCTION door_flow(date, date), door_outcomes(date, date)
    FROM PUBLIC, lead_command, lead_leadership;
GRANT EXECUTE ON FUNCTION door_flow(date, date), door_outcomes(date, date)
    TO lead_case_manager, lead_admin;
