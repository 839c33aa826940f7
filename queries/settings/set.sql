-- Give a program setting a new value from a date on (admins only, by grant).
INSERT INTO program_setting (key, effective_from, value, note)
VALUES (%(key)s, %(effective_from)s::date, %(value)s::numeric,
        (SELECT note FROM program_setting WHERE key = %(key)s
         ORDER BY effective_from DESC LIMIT 1))
ON CONFLICT (key, effective_from) DO UPDATE SET value = EXCLUDED.value
