-- Filtered contacts of the period by week (its Monday; the first and last may be partial): week, contacts, diverted.
-- Stored daily counts (contact_rollup) when they answer for these filters, else counted;
-- the branch ruled out is not run (contact_rollup_usable is evaluated once).
SELECT date_trunc('week', day)::date AS week, sum(contacts)::bigint AS contacts,
       sum(diverted)::bigint AS diverted
FROM (
    SELECT r.period_start AS day, r.contacts, r.diverted
    FROM contact_rollup AS r
    WHERE contact_rollup_usable(%(pathways)s::text[], %(decisions)s::text[],
                                %(posts)s::text[], %(trained)s::text, %(hours)s::integer[])
      AND r.kind = 'day' AND r.grain = 'day'
      AND r.period_start BETWEEN %(start)s::date AND %(end)s::date
      AND r.offense = ANY(%(offenses)s::text[])
    UNION ALL
    SELECT local_time::date, count(*), count(*) FILTER (WHERE decision = 'diverted')
    FROM contacts_filtered(
        %(start)s::date, %(end)s::date, %(offenses)s::text[], %(pathways)s::text[],
        %(decisions)s::text[], %(posts)s::text[], %(trained)s::text, %(hours)s::integer[]
    )
    WHERE NOT contact_rollup_usable(%(pathways)s::text[], %(decisions)s::text[],
                                    %(posts)s::text[], %(trained)s::text, %(hours)s::integer[])
    GROUP BY 1
) AS counted
GROUP BY 1
ORDER BY 1
