-- Contacts, eligible contacts and diversions in a period and in the period before it.
-- Eligible as defined by contacts_eligible (db/functions/catchment.sql): a drug or
-- prostitution contact inside the catchment in force that day. One pass over both periods
-- (the function reads their hull; the WHERE keeps only the two periods' days) counts each
-- with FILTERs, so the scan can run in parallel.
WITH contacts AS (
    SELECT CASE WHEN e.local_time::date BETWEEN %(start)s::date AND %(end)s::date
                THEN 'current' ELSE 'previous' END AS period,
           e.eligible,
           e.decision = 'diverted' AS diverted
    FROM contacts_eligible(least(%(start)s::date, %(prev_start)s::date),
                           greatest(%(end)s::date, %(prev_end)s::date),
                           %(offenses)s::text[]) AS e
    WHERE (e.occurred_at >= %(start)s::date AND e.occurred_at < %(end)s::date + 1)
       OR (e.occurred_at >= %(prev_start)s::date AND e.occurred_at < %(prev_end)s::date + 1)
)
SELECT p.period, p.contacts, p.eligible, p.diverted
FROM (
    SELECT count(*) FILTER (WHERE period = 'current') AS contacts,
           count(*) FILTER (WHERE period = 'current' AND eligible) AS eligible,
           count(*) FILTER (WHERE period = 'current' AND diverted) AS diverted,
           count(*) FILTER (WHERE period = 'previous') AS prev_contacts,
           count(*) FILTER (WHERE period = 'previous' AND eligible) AS prev_eligible,
           count(*) FILTER (WHERE period = 'previous' AND diverted) AS prev_diverted
    FROM contacts
) AS counted,
LATERAL (VALUES ('current', contacts, eligible, diverted),
                ('previous', prev_contacts, prev_eligible, prev_diverted))
    AS p (period, contacts, eligible, diverted)
