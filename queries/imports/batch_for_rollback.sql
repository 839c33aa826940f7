-- A batch as rollback needs it: kind, status, rows new and updated, and the id of the
-- latest batch of the same kind still in force (loaded, not rolled back).
SELECT b.kind, b.status, b.rows_new, b.rows_updated,
       (SELECT max(l.batch_id) FROM import_batch l
        WHERE l.kind = b.kind AND l.status = 'loaded') AS latest_of_kind
FROM import_batch b
WHERE b.batch_id = %(batch_id)s::bigint
