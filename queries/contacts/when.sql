-- Filtered contacts of the period by Baltimore day of week (1 = Monday) and hour of day.
SELECT extract(isodow FROM local_time)::integer AS weekday,
       extract(hour FROM local_time)::integer AS hour,
       count(*) AS contacts
FROM contacts_filtered(
    %(start)s::date, %(end)s::date, %(offenses)s::text[], %(pathways)s::text[],
    %(decisions)s::text[], %(posts)s::text[], %(trained)s::text, %(hours)s::integer[]
)
GROUP BY 1, 2
ORDER BY 1, 2
