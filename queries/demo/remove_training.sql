-- Delete the demo's training rows (ids starting with the demo prefix).
DELETE FROM training WHERE officer_id LIKE %(prefix)s
