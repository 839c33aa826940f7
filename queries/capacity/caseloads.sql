-- Active participants per case manager on a day (NULL case manager: active participants without one), largest caseload first.
SELECT case_manager, organization, caseload
FROM capacity_caseloads(%(day)s::date)
ORDER BY case_manager IS NULL, caseload DESC, case_manager
