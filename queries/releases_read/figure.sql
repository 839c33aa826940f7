-- One figure of one release as stored: value (NULL when hidden), its label and status.
SELECT row_key, col_key, value, label, status
FROM release_figure
WHERE release_id = %(release_id)s AND figure = %(figure)s
ORDER BY row_key, col_key
