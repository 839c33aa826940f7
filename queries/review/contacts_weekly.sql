-- Contacts per week (Monday start) in a period, by whether they were diverted.
SELECT date_trunc('week', occurred_at)::date AS week,
       count(*) FILTER (WHERE decision = 'diverted') AS diverted,
       count(*) FILTER (WHERE decision <> 'diverted') AS not_diverted
FROM contact
WHERE occurred_at >= %(start)s::date AND occurred_at < %(end)s::date + 1
  AND offense = ANY(%(offenses)s::text[])
GROUP BY 1 ORDER BY 1
