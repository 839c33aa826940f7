-- The generator fingerprint (size, seed, version) of a benchmark database, if any.
SELECT value FROM dataset_meta WHERE key = 'bench_fingerprint'
