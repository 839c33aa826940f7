-- Create an account or reset its role and password (and unlock it).
INSERT INTO app_account (username, role, password_hash, is_demo)
VALUES (%(username)s, %(role)s, %(password_hash)s, %(is_demo)s::boolean)
ON CONFLICT (username) DO UPDATE
SET role = EXCLUDED.role, password_hash = EXCLUDED.password_hash, disabled = false,
    failed_attempts = 0, locked_until = NULL, password_set_at = now(), is_demo = EXCLUDED.is_demo
