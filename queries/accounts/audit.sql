-- Append one audit row (who, in which role, did what, to what, with which outcome).
INSERT INTO audit_log (actor, role, action, target, outcome, detail)
VALUES (%(actor)s, %(role)s, %(action)s, %(target)s, %(outcome)s, %(detail)s::jsonb)
