-- The review targets in force on a day.
SELECT key, setting_on(key, %(day)s::date) AS value, note
FROM (SELECT DISTINCT ON (key) key, note FROM program_setting
      WHERE key LIKE 'target\_%%' ORDER BY key, effective_from DESC) AS targets
ORDER BY key
