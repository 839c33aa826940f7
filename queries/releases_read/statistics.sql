-- The medians and quartiles of one release (value NULL when withheld), with their labels.
SELECT statistic, row_key, col_key, value::float8 AS value, label
FROM release_statistic
WHERE release_id = %(release_id)s
ORDER BY statistic, row_key, col_key
