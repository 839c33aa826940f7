-- The legal clock (issue 20, migration 0022): for an arrest diversion (an enrollment
-- whose door is 'arrest', migration 0021) the SAO holds the charges while the person
-- completes intake within legal_clock_days, the setting in force on the arrest contact's
-- date (Baltimore's calendar; the referral date when no contact is named), joined from
-- setting_spans once rather than looked up per enrollment. Clock start =
-- that date; deadline = start + days. As of a day:
--   met      intake on or before the deadline, and on or before the day
--   overdue  the deadline is before the day and intake was not met (none, or late)
--   pending  otherwise: the deadline is the day or later and no intake yet
-- (an enrollment closed before intake stays pending until its deadline passes: the SAO
-- learns only whether intake happened by the deadline.)

-- Person-level due list for case managers and admins, as of last_day: clocks started on
-- or before last_day whose deadline is on or after first_day, and every earlier one still
-- without intake and not closed by last_day (an overdue person stays on the list).
CREATE OR REPLACE FUNCTION legal_clock(first_day date, last_day date)
RETURNS TABLE (enrollment_id text, person_key text, case_manager text, case_reference text,
               sao_consent_on date, clock_start date, deadline date, intake_on date,
               status text, days_left integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH started AS (
        SELECT e.enrollment_id, e.person_key, m.name AS case_manager, e.case_reference,
               e.sao_consent_on, e.intake_on, e.exited_on,
               coalesce((c.occurred_at AT TIME ZONE 'America/New_York')::date, e.referred_on)
                   AS clock_start
        FROM enrollment AS e
        LEFT JOIN contact AS c ON c.contact_id = e.contact_id
        LEFT JOIN case_manager AS m ON m.case_manager_id = e.case_manager_id
        WHERE e.door = 'arrest'
    ),
    dated AS (
        SELECT s.*, s.clock_start + days.value::integer AS deadline
        FROM started AS s
        LEFT JOIN setting_spans('legal_clock_days') AS days
          ON s.clock_start >= days.span_from AND s.clock_start < days.span_to
        WHERE s.clock_start <= last_day
    )
    SELECT d.enrollment_id, d.person_key, d.case_manager, d.case_reference, d.sao_consent_on,
           d.clock_start, d.deadline, d.intake_on,
           CASE WHEN d.intake_on <= least(d.deadline, last_day) THEN 'met'
                WHEN d.deadline < last_day THEN 'overdue'
                ELSE 'pending' END,
           d.deadline - last_day
    FROM dated AS d
    WHERE d.deadline >= first_day
       OR ((d.intake_on IS NULL OR d.intake_on > last_day)
           AND (d.exited_on IS NULL OR d.exited_on > last_day))
    ORDER BY d.deadline, d.enrollment_id
$$;

REVOKE ALL ON FUNCTION legal_clock(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION legal_clock(date, date) TO lead_case_manager, lead_admin;

-- The prosecutor liaison's slice: as of Baltimore's today (no date argument, so no
-- window can be probed for when an intake happened), every clock of a person whose
-- consent to share with the SAO was recorded on or before today: the case reference,
-- the deadline, and whether intake happened by it ('yes', 'no', 'pending'). No person
-- key, no enrollment, no intake date, no service or outcome.
CREATE OR REPLACE FUNCTION legal_clock_liaison()
RETURNS TABLE (case_reference text, deadline date, intake_by_deadline text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT l.case_reference, l.deadline,
           CASE l.status WHEN 'met' THEN 'yes' WHEN 'overdue' THEN 'no' ELSE 'pending' END
    FROM legal_clock(DATE '1900-01-01', (now() AT TIME ZONE 'America/New_York')::date) AS l
    WHERE l.sao_consent_on <= (now() AT TIME ZONE 'America/New_York')::date
    ORDER BY l.deadline DESC, l.case_reference
$$;

REVOKE ALL ON FUNCTION legal_clock_liaison() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION legal_clock_liaison() TO lead_prosecutor_liaison;
