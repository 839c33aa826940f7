-- The review's police figures for one period (contacts, diversion, training): no treatment records.
-- Contacts and diversions count the sidebar's offences, as the Overview does
-- (home/contacts_two_periods): one definition of each figure. Read by every role, beside
-- review/figures (exact) or a release; the catchment in force each day comes from
-- catchment_spans (db/functions/catchment.sql), joined after a box test on the stored
-- Mercator coordinates, as in contacts/zones.
WITH contacts AS (
    SELECT c.decision,
           c.offense IN ('drug', 'prostitution') AND a.span_from IS NOT NULL AS eligible
    FROM contact c
    LEFT JOIN catchment_spans(%(start)s::date, %(end)s::date, 1) AS a
      ON c.local_time::date >= a.span_from AND c.local_time::date < a.span_to
     AND c.mercator_x BETWEEN a.xmin AND a.xmax AND c.mercator_y BETWEEN a.ymin AND a.ymax
     AND ST_Intersects(a.geom, c.geom)
    WHERE c.occurred_at >= %(start)s::date AND c.occurred_at < %(end)s::date + 1
      AND c.offense = ANY(%(offenses)s::text[])
),
contact_figures AS (
    SELECT count(*) AS contacts,
           count(*) FILTER (WHERE decision = 'diverted') AS diverted,
           count(*) FILTER (WHERE eligible) AS eligible,
           count(*) FILTER (WHERE eligible AND decision = 'diverted') AS eligible_diverted
    FROM contacts
),
officers AS (
    SELECT count(*) AS active_officers,
           count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM training t
               WHERE t.officer_id = o.officer_id
                 AND t.completed_on <= %(end)s::date
                 AND (t.expires_on IS NULL OR t.expires_on >= %(end)s::date))) AS trained_officers
    FROM officer o WHERE o.active
)
SELECT * FROM contact_figures, officers
