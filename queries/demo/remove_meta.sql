-- Forget the demo's dataset_meta keys.
DELETE FROM dataset_meta WHERE key = ANY(%(keys)s::text[])
