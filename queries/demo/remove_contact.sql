-- Delete the demo's contact rows (ids starting with the demo prefix).
DELETE FROM contact WHERE contact_id LIKE %(prefix)s
