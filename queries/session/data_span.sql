-- First and last contact dates in the data: the as-of date and the start of "pilot to date".
SELECT coalesce(min(occurred_at)::date, current_date) AS first_day,
       coalesce(max(occurred_at)::date, current_date) AS as_of
FROM contact
