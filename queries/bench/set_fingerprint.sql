-- Record the generator fingerprint of a benchmark database once its data is loaded.
INSERT INTO dataset_meta (key, value) VALUES ('bench_fingerprint', %(value)s::text)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, set_at = now()
