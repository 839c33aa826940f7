-- One import batch: what was imported, from which file, with which outcome.
SELECT kind, file_name, status, rows_read, rows_rejected FROM import_batch
WHERE batch_id = %(batch_id)s::bigint
