-- Filtered contacts of the period by post recorded on the contact and week (Monday start): contacts, diverted.
SELECT coalesce(post, 'not recorded') AS post, date_trunc('week', local_time)::date AS week,
       count(*) AS contacts, count(*) FILTER (WHERE decision = 'diverted') AS diverted
FROM contacts_filtered(
    %(start)s::date, %(end)s::date, %(offenses)s::text[], %(pathways)s::text[],
    %(decisions)s::text[], %(posts)s::text[], %(trained)s::text, %(hours)s::integer[]
)
GROUP BY 1, 2
ORDER BY 1, 2
