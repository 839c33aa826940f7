-- Officer training: LEAD training cover that runs out soon, one rule for the officer list
-- (queries/training/expiring) and its count by sector (expiring_by_sector).

-- Active officers of the program's district whose LEAD training cover runs out within
-- within_days days after day, one row per officer with the roster's sector, post and
-- shift. An officer's cover ends on the latest expires_on among the trainings current on
-- the day (completed on or before it, expiring on or after it); a current training
-- without expiry means no end. The program's district: the district area(s) in force on
-- the day, names compared without regard to case. Optional filters on the roster's
-- sector and shift (NULL = all). A plain SQL function (SECURITY INVOKER, inlined by the
-- planner): the caller's role decides whether it may read officers and trainings.
CREATE OR REPLACE FUNCTION training_cover_ending(
    day date, within_days integer, of_sector text, of_shift text
)
RETURNS TABLE (officer_id text, sector text, post text, shift text, expires_on date)
LANGUAGE sql STABLE AS $$
    SELECT o.officer_id,
           coalesce(o.sector, 'unknown'),
           coalesce(o.post, 'unknown'),
           coalesce(o.shift, 'unknown'),
           max(t.expires_on)
    FROM officer AS o
    JOIN training AS t
      ON t.officer_id = o.officer_id
     AND t.completed_on <= day
     AND (t.expires_on IS NULL OR t.expires_on >= day)
    WHERE o.active
      AND (of_sector IS NULL OR coalesce(o.sector, 'unknown') = of_sector)
      AND (of_shift IS NULL OR coalesce(o.shift, 'unknown') = of_shift)
      AND upper(o.district) IN (
          SELECT upper(a.name) FROM program_area AS a
          WHERE a.kind = 'district'
            AND a.valid_from <= day
            AND (a.valid_to IS NULL OR a.valid_to > day))
    GROUP BY o.officer_id
    HAVING NOT bool_or(t.expires_on IS NULL) AND max(t.expires_on) <= day + within_days
$$;

REVOKE ALL ON FUNCTION training_cover_ending(date, integer, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION training_cover_ending(date, integer, text, text)
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;
