-- Store release periods (one array element per release); returns each one's id with its period.
INSERT INTO release (period_kind, first_day, last_day, label, data_as_of)
SELECT kind, first_day, last_day, label, %(data_as_of)s::date
FROM unnest(%(kind)s::text[], %(first_day)s::date[], %(last_day)s::date[], %(label)s::text[])
     AS r (kind, first_day, last_day, label)
RETURNING period_kind, first_day, last_day, release_id
