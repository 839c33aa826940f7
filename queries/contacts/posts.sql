-- Posts recorded on the contacts of the period (any filter but the post), for the post filter.
SELECT DISTINCT post
FROM contacts_filtered(
    %(start)s::date, %(end)s::date, %(offenses)s::text[], '{}'::text[], '{}'::text[],
    '{}'::text[], 'any', '{}'::integer[]
)
WHERE post IS NOT NULL
ORDER BY post
