-- Count the contacts map's stored totals again if the import changed contacts or areas (a no-op otherwise), in the import's transaction; returns the rows stored.
SELECT contact_rollup_refresh()
