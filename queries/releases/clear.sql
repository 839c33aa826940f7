-- Remove the stored release set (figures, statistics and audit rows go with their releases) and the public census tables.
WITH days AS (DELETE FROM census_day), weeks AS (DELETE FROM census_week)
DELETE FROM release
