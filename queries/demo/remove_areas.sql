-- Delete the program areas written by the demo's own import batches.
DELETE FROM program_area
WHERE batch_id = ANY(string_to_array(
    (SELECT value FROM dataset_meta WHERE key = 'demo_batches'), ',')::bigint[])
