-- The rejected rows of one batch: row number, reason and the row as written (text).
SELECT row_number, reason, raw::text AS row_as_written
FROM import_rejection
WHERE batch_id = %(batch_id)s::bigint
ORDER BY row_number
