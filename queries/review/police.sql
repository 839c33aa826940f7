-- The review's police figures for one period (contacts, diversion, training): no treatment records.
-- Contacts and diversions count the sidebar's offences, as the Overview does
-- (home/contacts_two_periods), and "eligible" is contacts_eligible's
-- (db/functions/catchment.sql): one definition of each figure. Read by every role, beside
-- review/figures (exact) or a release.
WITH contacts AS (
    SELECT decision, eligible
    FROM contacts_eligible(%(start)s::date, %(end)s::date, %(offenses)s::text[])
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
