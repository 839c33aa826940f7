-- Posts recorded on the contacts of the period (any filter but the post), for the post filter.
-- From the stored counts (contact_rollup) when current, else from the contacts.
SELECT DISTINCT post
FROM (
    SELECT r.post
    FROM contact_rollup_read(
        'post', %(start)s::date, %(end)s::date, %(offenses)s::text[], '{}', '{}', '{}', 'any',
        '{}'
    ) AS r
    UNION ALL
    SELECT post
    FROM contacts_filtered(
        %(start)s::date, %(end)s::date, %(offenses)s::text[], '{}'::text[], '{}'::text[],
        '{}'::text[], 'any', '{}'::integer[]
    )
    WHERE NOT contact_rollup_usable('{}', '{}', '{}', 'any', '{}')
) AS found
WHERE post IS NOT NULL
ORDER BY post
