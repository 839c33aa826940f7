-- Delete the demo's case-manager meetings (their enrollment ids carry the demo prefix).
DELETE FROM case_meeting WHERE enrollment_id LIKE %(prefix)s
