-- Filtered contacts of the period counted per grid cell (see contact_cell): cell i, j, contacts, diverted.
-- Stored counts (contact_rollup, summed over the period's years, months and days) when
-- they answer for these filters, this grid and this box (contact_rollup_usable,
-- contact_rollup_holds_cells: evaluated once, the other branch is not run); then only
-- cells whose centre lies in the box are returned, which include every cell whose
-- contacts all lie in it. Otherwise the contacts are counted: the cell comes from the
-- contact's stored EPSG:3857 coordinates (contact_cell_xy, inlined), and only contacts in
-- the box west..east, south..north (EPSG:3857 metres; the drawn extent widened by two
-- cells, geo.cells.Extent.query_box) are counted. HAVING count(cell) > 0 drops the NULL
-- cell (an unknown shape) after grouping; a WHERE would compute every contact's cell twice.
SELECT r.i, r.j, sum(r.contacts)::bigint AS contacts, sum(r.diverted)::bigint AS diverted
FROM contact_rollup_read(
    'cell', %(start)s::date, %(end)s::date, %(offenses)s::text[], %(pathways)s::text[],
    %(decisions)s::text[], %(posts)s::text[], %(trained)s::text, %(hours)s::integer[]
) AS r
WHERE contact_rollup_holds_cells(%(shape)s::text, %(size)s::float8, %(west)s::float8,
                                 %(south)s::float8, %(east)s::float8, %(north)s::float8)
  AND r.shape = %(shape)s::text AND abs(r.size - %(size)s::float8) <= 1e-9 * r.size
  AND CASE r.shape WHEN 'square' THEN (r.i + 0.5) * r.size ELSE 1.5 * r.size * r.i END
      BETWEEN %(west)s::float8 AND %(east)s::float8
  AND CASE r.shape WHEN 'square' THEN (r.j + 0.5) * r.size
                   ELSE r.size * sqrt(3.0) * (r.j + 0.5 * (r.i & 1)) END
      BETWEEN %(south)s::float8 AND %(north)s::float8
GROUP BY r.i, r.j
UNION ALL
SELECT cell[1], cell[2], count(*), count(*) FILTER (WHERE decision = 'diverted')
FROM (
    SELECT contact_cell_xy(mercator_x, mercator_y, %(shape)s::text, %(size)s::float8) AS cell,
           decision
    FROM contacts_filtered(
        %(start)s::date, %(end)s::date, %(offenses)s::text[], %(pathways)s::text[],
        %(decisions)s::text[], %(posts)s::text[], %(trained)s::text,
        %(hours)s::integer[]
    )
    WHERE NOT (
            contact_rollup_usable(%(pathways)s::text[], %(decisions)s::text[],
                                  %(posts)s::text[], %(trained)s::text, %(hours)s::integer[])
            AND contact_rollup_holds_cells(%(shape)s::text, %(size)s::float8, %(west)s::float8,
                                           %(south)s::float8, %(east)s::float8,
                                           %(north)s::float8))
      AND mercator_x BETWEEN %(west)s::float8 AND %(east)s::float8
      AND mercator_y BETWEEN %(south)s::float8 AND %(north)s::float8
) AS located
GROUP BY cell
HAVING count(cell) > 0
