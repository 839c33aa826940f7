-- Delete the demo's officer rows (ids starting with the demo prefix).
DELETE FROM officer WHERE officer_id LIKE %(prefix)s
