-- Disable or enable an account; returns the user name, or no row when there is none.
UPDATE app_account SET disabled = %(disabled)s::boolean
WHERE username = %(username)s::text
RETURNING username
