-- Active and in-the-wind participants per case manager on a day without names: roster is the case manager's place in the roster (by name, not by size); unassigned marks participants without one.
SELECT caseload, in_the_wind, case_manager IS NULL AS unassigned,
       row_number() OVER (ORDER BY case_manager IS NULL, case_manager)::integer AS roster
FROM capacity_caseloads(%(day)s::date)
ORDER BY roster
