-- Cost avoided (issue 20): participants' jail bookings and bed-days before vs after their
-- first intake (jail_booking, migration 0025), as aggregates only.
--
-- Command and leadership cannot read jail bookings nor run this SECURITY DEFINER
-- function: they read the releases (figure "cost", by intake-year cohort) that
-- `python -m releases refresh` computes with it. Case managers and admins see it exact.
--
-- Definitions (Baltimore dates; N = cost_window_days in force on as_of, 365 by default):
--   participant     a person (person_key) with an intake; their intake day is their
--                   first intake. Counted only when the whole after-window has passed:
--                   intake + N - 1 <= as_of (so every participant has N days on each side)
--   before, after   the N days before the intake day (intake - N .. intake - 1) and the N
--                   days from it (intake .. intake + N - 1)
--   booking         a jail booking whose booking day falls in the window
--   bed-day         a calendar day the person was held, from the booking day to the
--                   release day inclusive (still held: to as_of); a booking across the
--                   intake day counts its days on each side; a day two bookings share
--                   counts once
--   cost            each bed-day at cost_per_bed_day in force that day, plus each booking
--                   at cost_per_booking in force on its booking day (dated settings)
-- Medians are per participant, zeros included. Descriptive, not causal.

CREATE OR REPLACE FUNCTION cost_avoided(intake_from date, intake_to date, as_of date)
RETURNS TABLE (phase text, participants integer, people_booked integer, bookings integer,
               bed_days integer, cost numeric, median_bookings numeric,
               median_bed_days numeric)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH n AS (SELECT setting_on('cost_window_days', as_of)::integer AS days),
    cohort AS (
        SELECT e.person_key, min(e.intake_on) AS intake_on
        FROM enrollment AS e
        WHERE e.intake_on IS NOT NULL
        GROUP BY e.person_key
    ),
    windows AS (
        SELECT c.person_key, p.phase, p.position,
               CASE p.phase WHEN 'before' THEN c.intake_on - n.days ELSE c.intake_on END
                   AS first_day,
               CASE p.phase WHEN 'before' THEN c.intake_on - 1
                    ELSE c.intake_on + n.days - 1 END AS last_day
        FROM cohort AS c
        CROSS JOIN n
        CROSS JOIN (VALUES ('before', 1), ('after', 2)) AS p (phase, position)
        WHERE c.intake_on BETWEEN intake_from AND intake_to
          AND c.intake_on + n.days - 1 <= as_of
    ),
    stays AS (
        SELECT b.person_key, (b.booked_at AT TIME ZONE 'America/New_York')::date AS booked_on,
               coalesce((b.released_at AT TIME ZONE 'America/New_York')::date, as_of)
                   AS released_on
        FROM jail_booking AS b
    ),
    held AS (  -- each day of a window the person was held, once
        SELECT DISTINCT w.person_key, w.phase, d::date AS day
        FROM windows AS w
        JOIN stays AS s ON s.person_key = w.person_key
         AND s.booked_on <= w.last_day AND s.released_on >= w.first_day
        CROSS JOIN generate_series(greatest(s.booked_on, w.first_day),
                                   least(s.released_on, w.last_day), interval '1 day') AS d
    ),
    per_person AS (
        SELECT w.person_key, w.phase, w.position,
               (SELECT count(*) FROM stays AS s
                WHERE s.person_key = w.person_key
                  AND s.booked_on BETWEEN w.first_day AND w.last_day) AS bookings,
               (SELECT coalesce(sum(setting_on('cost_per_booking', s.booked_on)), 0)
                FROM stays AS s
                WHERE s.person_key = w.person_key
                  AND s.booked_on BETWEEN w.first_day AND w.last_day) AS booking_cost,
               (SELECT count(*) FROM held AS h
                WHERE h.person_key = w.person_key AND h.phase = w.phase) AS bed_days,
               (SELECT coalesce(sum(setting_on('cost_per_bed_day', h.day)), 0) FROM held AS h
                WHERE h.person_key = w.person_key AND h.phase = w.phase) AS bed_day_cost
        FROM windows AS w
    ),
    phases (phase, position) AS (VALUES ('before', 1), ('after', 2))
    SELECT p.phase,
           count(pp.person_key)::integer,
           count(*) FILTER (WHERE pp.bookings > 0 OR pp.bed_days > 0)::integer,
           coalesce(sum(pp.bookings), 0)::integer,
           coalesce(sum(pp.bed_days), 0)::integer,
           coalesce(sum(pp.booking_cost + pp.bed_day_cost), 0)::numeric,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY pp.bookings))::numeric,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY pp.bed_days))::numeric
    FROM phases AS p
    LEFT JOIN per_person AS pp ON pp.phase = p.phase
    GROUP BY p.phase, p.position
    ORDER BY p.position
$$;

REVOKE ALL ON FUNCTION cost_avoided(date, date, date) FROM PUBLIC, lead_command, lead_leadership;
GRANT EXECUTE ON FUNCTION cost_avoided(date, date, date) TO lead_case_manager, lead_admin;
