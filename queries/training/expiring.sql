-- Active district officers whose LEAD training runs out within a number of days after a day, one row per officer (police command staff and admins only).
-- The rule is training_cover_ending (db/functions/training.sql). Rows go to the browser: bounded.
SELECT officer_id, sector, post, shift, expires_on,
       expires_on - %(day)s::date AS days_left
FROM training_cover_ending(%(day)s::date, %(days)s::integer, %(sector)s::text, %(shift)s::text)
ORDER BY expires_on, officer_id
LIMIT 1000
