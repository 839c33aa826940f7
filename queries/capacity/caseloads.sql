-- Active participants per case manager on a day and those of them in the wind (NULL case manager: active participants without one), largest caseload first.
SELECT case_manager, organization, caseload, in_the_wind
FROM capacity_caseloads(%(day)s::date)
ORDER BY case_manager IS NULL, caseload DESC, case_manager
