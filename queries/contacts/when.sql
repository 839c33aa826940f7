-- Filtered contacts of the period by Baltimore day of week (1 = Monday) and hour of day.
-- Stored counts (contact_rollup) when they answer for these filters, else counted; the
-- branch ruled out is not run (contact_rollup_usable is evaluated once).
SELECT weekday, hour, sum(contacts)::bigint AS contacts
FROM (
    SELECT r.weekday, r.hour, r.contacts
    FROM contact_rollup_read(
        'hour', %(start)s::date, %(end)s::date, %(offenses)s::text[], %(pathways)s::text[],
        %(decisions)s::text[], %(posts)s::text[], %(trained)s::text, %(hours)s::integer[]
    ) AS r
    UNION ALL
    SELECT extract(isodow FROM local_time)::integer, extract(hour FROM local_time)::integer,
           count(*)
    FROM contacts_filtered(
        %(start)s::date, %(end)s::date, %(offenses)s::text[], %(pathways)s::text[],
        %(decisions)s::text[], %(posts)s::text[], %(trained)s::text, %(hours)s::integer[]
    )
    WHERE NOT contact_rollup_usable(%(pathways)s::text[], %(decisions)s::text[],
                                    %(posts)s::text[], %(trained)s::text, %(hours)s::integer[])
    GROUP BY 1, 2
) AS counted
GROUP BY weekday, hour
ORDER BY weekday, hour
