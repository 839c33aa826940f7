-- Every program setting: the value in force on a day, since when, and what it means.
SELECT DISTINCT ON (key) key, value, effective_from, note
FROM program_setting
WHERE effective_from <= %(day)s::date
ORDER BY key, effective_from DESC
