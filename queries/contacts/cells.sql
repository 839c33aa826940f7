-- Filtered contacts of the period counted per grid cell (see contact_cell): cell i, j, contacts, diverted.
SELECT cell[1] AS i, cell[2] AS j, count(*) AS contacts,
       count(*) FILTER (WHERE decision = 'diverted') AS diverted
FROM (
    SELECT contact_cell(geom, %(shape)s::text, %(size)s::float8) AS cell, decision
    FROM contacts_filtered(
        %(start)s::date, %(end)s::date, %(offenses)s::text[], %(pathways)s::text[],
        %(decisions)s::text[], %(posts)s::text[], %(trained)s::text
    )
) AS located
WHERE cell IS NOT NULL
GROUP BY cell
