-- People with a new police contact within 6 and 12 months: participants and decliners.
SELECT grp, months, people, recontacted
FROM outcome_recontact(%(start)s::date, %(end)s::date, %(as_of)s::date)
ORDER BY grp DESC, months
