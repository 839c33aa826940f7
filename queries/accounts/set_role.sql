-- Give an account another role; returns its previous role, or no row when there is none.
UPDATE app_account AS a SET role = %(role)s::text
FROM app_account AS before
WHERE a.username = %(username)s::text AND before.username = a.username
RETURNING before.role
