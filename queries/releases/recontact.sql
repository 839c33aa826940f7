-- Participants and decliners of a release period with a new police contact within 6 and 12 months, follow-up complete by its last day.
SELECT grp, months, people, recontacted
FROM outcome_recontact(%(first_day)s::date, %(last_day)s::date, %(last_day)s::date)
ORDER BY grp, months
