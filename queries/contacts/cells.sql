-- Filtered contacts of the period counted per grid cell (see contact_cell): cell i, j, contacts, diverted.
-- The cell comes from the contact's stored EPSG:3857 coordinates (contact_cell_xy, inlined).
-- Only contacts in the box west..east, south..north (EPSG:3857 metres; the drawn extent
-- widened by two cells, geo.cells.Extent.query_box) are counted.
-- HAVING count(cell) > 0 drops the NULL cell (an unknown shape) after grouping; a WHERE
-- would compute every contact's cell twice.
SELECT cell[1] AS i, cell[2] AS j, count(*) AS contacts,
       count(*) FILTER (WHERE decision = 'diverted') AS diverted
FROM (
    SELECT contact_cell_xy(mercator_x, mercator_y, %(shape)s::text, %(size)s::float8) AS cell,
           decision
    FROM contacts_filtered(
        %(start)s::date, %(end)s::date, %(offenses)s::text[], %(pathways)s::text[],
        %(decisions)s::text[], %(posts)s::text[], %(trained)s::text,
        %(hours)s::integer[]
    )
    WHERE mercator_x BETWEEN %(west)s::float8 AND %(east)s::float8
      AND mercator_y BETWEEN %(south)s::float8 AND %(north)s::float8
) AS located
GROUP BY cell
HAVING count(cell) > 0
