-- Filtered contacts of the period by post recorded on the contact ('not recorded' without): contacts, diverted.
-- Stored counts (contact_rollup) when they answer for these filters, else counted; the
-- branch ruled out is not run (contact_rollup_usable is evaluated once).
SELECT coalesce(post, 'not recorded') AS post, sum(contacts)::bigint AS contacts,
       sum(diverted)::bigint AS diverted
FROM (
    SELECT r.post, r.contacts, r.diverted
    FROM contact_rollup_read(
        'post', %(start)s::date, %(end)s::date, %(offenses)s::text[], %(pathways)s::text[],
        %(decisions)s::text[], %(posts)s::text[], %(trained)s::text, %(hours)s::integer[]
    ) AS r
    UNION ALL
    SELECT post, count(*), count(*) FILTER (WHERE decision = 'diverted')
    FROM contacts_filtered(
        %(start)s::date, %(end)s::date, %(offenses)s::text[], %(pathways)s::text[],
        %(decisions)s::text[], %(posts)s::text[], %(trained)s::text, %(hours)s::integer[]
    )
    WHERE NOT contact_rollup_usable(%(pathways)s::text[], %(decisions)s::text[],
                                    %(posts)s::text[], %(trained)s::text, %(hours)s::integer[])
    GROUP BY post
) AS counted
GROUP BY 1
ORDER BY 1
