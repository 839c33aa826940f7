-- One program setting's value in force on a day.
SELECT setting_on(%(key)s::text, %(day)s::date) AS value
