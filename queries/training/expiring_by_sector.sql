-- Number of active district officers whose LEAD training runs out within a number of days after a day, by sector (no officer ids).
-- The same officers as training/expiring: training_cover_ending (db/functions/training.sql).
SELECT sector, count(*) AS expiring_officers
FROM training_cover_ending(%(day)s::date, %(days)s::integer, %(sector)s::text, %(shift)s::text)
GROUP BY sector
ORDER BY sector
