-- Import batches, newest first: what, from which file, by whom, the counts and state.
SELECT batch_id, kind, format, file_name, imported_by, started_at, finished_at, status,
       rows_read, rows_new, rows_updated, rows_unchanged, rows_duplicate, rows_rejected,
       rolled_back_by, rolled_back_at
FROM import_batch
ORDER BY batch_id DESC
LIMIT %(limit)s::integer
