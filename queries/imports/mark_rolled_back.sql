-- Mark a batch rolled back: by whom, now.
UPDATE import_batch
SET status = 'rolled_back', rolled_back_at = now(), rolled_back_by = %(actor)s::text
WHERE batch_id = %(batch_id)s::bigint
