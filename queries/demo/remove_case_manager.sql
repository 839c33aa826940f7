-- Delete the demo's case_manager rows (ids starting with the demo prefix).
DELETE FROM case_manager WHERE case_manager_id LIKE %(prefix)s
