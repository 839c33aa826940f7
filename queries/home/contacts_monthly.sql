-- Contacts, eligible contacts and diversions per calendar month from start to end (the Overview's trends; eligible as defined by contacts_eligible, db/functions/catchment.sql).
SELECT date_trunc('month', local_time)::date AS month,
       count(*) AS contacts,
       count(*) FILTER (WHERE eligible) AS eligible,
       count(*) FILTER (WHERE decision = 'diverted') AS diverted
FROM contacts_eligible(%(start)s::date, %(end)s::date, %(offenses)s::text[])
GROUP BY 1
ORDER BY 1
