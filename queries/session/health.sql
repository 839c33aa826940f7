-- Is the database answering, and is the schema there?
SELECT to_regclass('public.contact') IS NOT NULL AS schema_ready
