-- Store the medians and quartiles of releases (one array element per statistic).
INSERT INTO release_statistic (release_id, statistic, row_key, col_key, value, label)
SELECT * FROM unnest(%(release_id)s::bigint[], %(statistic)s::text[], %(row_key)s::text[],
                     %(col_key)s::text[], %(value)s::numeric[], %(label)s::text[])
