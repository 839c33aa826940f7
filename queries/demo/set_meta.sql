-- Record a fact about the loaded data set.
INSERT INTO dataset_meta (key, value) VALUES (%(key)s, %(value)s)
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, set_at = now()
