-- Close an import batch with its counts and status.
UPDATE import_batch
SET finished_at = now(), status = %(status)s, rows_read = %(read)s::integer,
    rows_new = %(new)s::integer, rows_updated = %(updated)s::integer,
    rows_unchanged = %(unchanged)s::integer, rows_duplicate = %(duplicate)s::integer,
    rows_rejected = %(rejected)s::integer
WHERE batch_id = %(batch_id)s::bigint
