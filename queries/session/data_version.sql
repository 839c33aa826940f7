-- The data version: a sum of counters that every write to the figures' tables bumps (migration 0017).
SELECT coalesce(sum(version), 0)::bigint AS version FROM data_version
