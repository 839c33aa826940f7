-- Create a new account; returns its user name, or no row when it exists already.
INSERT INTO app_account (username, role, password_hash)
VALUES (%(username)s::text, %(role)s::text, %(password_hash)s::text)
ON CONFLICT (username) DO NOTHING
RETURNING username
