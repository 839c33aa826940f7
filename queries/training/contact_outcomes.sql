-- Eligible contacts in a period by whether the officer held current LEAD training that day, the post where the contact happened and the officer's shift: contacts, diversions, arrests.
-- Eligible: a drug or prostitution contact (among the chosen offences) inside the catchment
-- in force that day. Training is evaluated on the contact's own (Baltimore) date; a contact
-- with no officer id, or one not on the roster, counts as handled by an untrained officer.
-- Optional filters on the handling officer's roster sector and shift (NULL = all; contacts
-- by officers not on the roster then drop out).
WITH catchment AS (
    SELECT geom, valid_from, coalesce(valid_to, 'infinity'::date) AS valid_to
    FROM program_area WHERE kind = 'catchment'
),
eligible AS (
    SELECT c.occurred_at::date AS day,
           c.officer_id,
           c.decision,
           coalesce(c.post, 'unknown') AS post,
           CASE WHEN o.officer_id IS NULL THEN 'not on roster'
                ELSE coalesce(o.shift, 'unknown') END AS officer_shift
    FROM contact c
    LEFT JOIN officer o ON o.officer_id = c.officer_id
    WHERE c.occurred_at >= %(start)s::date
      AND c.occurred_at < %(end)s::date + 1
      AND c.offense = ANY(%(offenses)s::text[])
      AND c.offense IN ('drug', 'prostitution')
      AND EXISTS (
          SELECT 1 FROM catchment a
          WHERE ST_Intersects(a.geom, c.geom)
            AND c.occurred_at::date >= a.valid_from AND c.occurred_at::date < a.valid_to)
      AND (%(sector)s::text IS NULL OR coalesce(o.sector, 'unknown') = %(sector)s::text)
      AND (%(shift)s::text IS NULL OR coalesce(o.shift, 'unknown') = %(shift)s::text)
)
SELECT EXISTS (
           SELECT 1 FROM training t
           WHERE t.officer_id = e.officer_id
             AND t.completed_on <= e.day
             AND (t.expires_on IS NULL OR t.expires_on >= e.day)
       ) AS trained,
       e.post,
       e.officer_shift,
       count(*) AS eligible,
       count(*) FILTER (WHERE e.decision = 'diverted') AS diverted,
       count(*) FILTER (WHERE e.decision = 'arrested') AS arrested
FROM eligible e
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
