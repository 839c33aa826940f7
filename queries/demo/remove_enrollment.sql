-- Delete the demo's enrollment rows (ids starting with the demo prefix).
DELETE FROM enrollment WHERE enrollment_id LIKE %(prefix)s
