-- Rows and on-disk size (table + indexes) of the tables a benchmark database fills.
SELECT c.relname AS table_name, c.reltuples::bigint AS approx_rows,
       pg_total_relation_size(c.oid) AS bytes
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r'
  AND c.relname IN ('contact', 'officer', 'training', 'enrollment', 'service_referral',
                    'case_manager', 'program_area')
ORDER BY c.relname
