-- Set a run-time parameter for the rest of this session (auto_explain for the benchmark).
SELECT set_config(%(name)s::text, %(value)s::text, false)
