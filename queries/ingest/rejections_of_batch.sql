-- The rejected rows of one batch, in file order.
SELECT row_number, reason, raw FROM import_rejection
WHERE batch_id = %(batch_id)s::bigint ORDER BY row_number
