-- How many contacts the database holds (after an import).
SELECT count(*) AS contacts FROM contact
