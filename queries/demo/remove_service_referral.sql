-- Delete the demo's service_referral rows (ids starting with the demo prefix).
DELETE FROM service_referral WHERE enrollment_id LIKE %(prefix)s
