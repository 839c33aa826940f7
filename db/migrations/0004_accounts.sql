-- Local dashboard accounts. Passwords are argon2id hashes (argon2-cffi); the table is
-- read only by the dashboard's own connection before any role is set, and by admins.
CREATE TABLE app_account (
    username        text PRIMARY KEY CHECK (username ~ '^[a-z0-9._-]{2,64}$'),
    role            text NOT NULL CHECK (role IN ('command', 'leadership', 'case_manager', 'admin')),
    password_hash   text NOT NULL,
    disabled        boolean NOT NULL DEFAULT false,
    failed_attempts integer NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    password_set_at timestamptz NOT NULL DEFAULT now(),
    last_sign_in    timestamptz,
    is_demo         boolean NOT NULL DEFAULT false
);
GRANT SELECT (username, role, disabled, locked_until, created_at, last_sign_in, is_demo)
    ON app_account TO lead_admin;
