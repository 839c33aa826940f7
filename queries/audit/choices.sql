-- Every (action, outcome) pair in the audit log, for the search filters.
SELECT DISTINCT action, outcome FROM audit_log ORDER BY action, outcome
