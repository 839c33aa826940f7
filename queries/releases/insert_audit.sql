-- Store the audit of every hidden count of releases (one array element per hidden figure cell).
INSERT INTO release_audit (release_id, figure, row_key, col_key, cell, status, true_value,
                           label_low, label_high, lp_low, lp_high, protection_level, passed)
SELECT * FROM unnest(%(release_id)s::bigint[], %(figure)s::text[], %(row_key)s::text[],
                     %(col_key)s::text[], %(cell)s::text[], %(status)s::text[],
                     %(true_value)s::integer[], %(label_low)s::integer[],
                     %(label_high)s::integer[], %(lp_low)s::numeric[], %(lp_high)s::numeric[],
                     %(protection_level)s::integer[], %(passed)s::boolean[])
