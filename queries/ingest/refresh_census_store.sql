-- Store the daily census again if the import changed enrollments or settings (a no-op otherwise), in the import's transaction; returns the days stored.
SELECT census_store_refresh()
