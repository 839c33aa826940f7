-- Eligible contacts in a period by whether the officer held current LEAD training that day, the post where the contact happened and the officer's shift: contacts, diversions, arrests.
-- Eligible: a drug or prostitution contact (among the chosen offences) inside the catchment
-- in force that day. Training is evaluated on the contact's own (Baltimore) date; a contact
-- with no officer id, or one not on the roster, counts as handled by an untrained officer.
-- Optional filters on the handling officer's roster sector and shift (NULL = all; contacts
-- by officers not on the roster then drop out).
-- The catchment in force each day comes from catchment_spans (db/functions/catchment.sql),
-- joined after a box test on the stored Mercator coordinates, as in contacts/zones.
WITH eligible AS (
    SELECT c.occurred_at::date AS day,
           c.officer_id,
           c.decision,
           coalesce(c.post, 'unknown') AS post,
           CASE WHEN o.officer_id IS NULL THEN 'not on roster'
                ELSE coalesce(o.shift, 'unknown') END AS officer_shift
    FROM contact c
    JOIN catchment_spans(%(start)s::date, %(end)s::date, 1) AS a
      ON c.local_time::date >= a.span_from AND c.local_time::date < a.span_to
     AND c.mercator_x BETWEEN a.xmin AND a.xmax AND c.mercator_y BETWEEN a.ymin AND a.ymax
     AND ST_Intersects(a.geom, c.geom)
    LEFT JOIN officer o ON o.officer_id = c.officer_id
    WHERE c.occurred_at >= %(start)s::date
      AND c.occurred_at < %(end)s::date + 1
      AND c.offense = ANY(%(offenses)s::text[])
      AND c.offense IN ('drug', 'prostitution')
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
