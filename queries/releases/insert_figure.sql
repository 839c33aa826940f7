-- Store the published counts of releases (one array element per figure cell).
INSERT INTO release_figure (release_id, figure, row_key, col_key, value, label, status)
SELECT * FROM unnest(%(release_id)s::bigint[], %(figure)s::text[], %(row_key)s::text[],
                     %(col_key)s::text[], %(value)s::integer[], %(label)s::text[],
                     %(status)s::text[])
