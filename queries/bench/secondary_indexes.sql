-- The definitions of a table's indexes other than its primary key, to drop them before a bulk load and build them again after it.
SELECT i.indexname, i.indexdef
FROM pg_indexes AS i
JOIN pg_class AS c ON c.relname = i.indexname AND c.relnamespace = 'public'::regnamespace
JOIN pg_index AS x ON x.indexrelid = c.oid
WHERE i.schemaname = 'public' AND i.tablename = %(table_name)s AND NOT x.indisprimary
ORDER BY i.indexname
