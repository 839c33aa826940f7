-- Access control and audit, enforced by PostgreSQL (issue 7).
--
-- audit_log: row-level security. A dashboard role may only append rows in its own name
-- (role column = the role it runs as), may not choose the time or the id, and only
-- lead_admin reads the log. UPDATE, DELETE and TRUNCATE stay refused for everyone,
-- owner included, by the triggers of 0001; there is no deletion path (docs/access.md
-- says how rows older than the retention period would be archived, never deleted).
-- The dashboard's own connection (the table owner) writes sign-in and sign-out rows
-- before any role is set; the owner is not subject to these policies.
--
-- app_account: user names may be e-mail addresses (single sign-on maps the identity's
-- e-mail, lowercased, to an account); an account may have no local password at all.

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;

CREATE POLICY audit_append_own_role ON audit_log FOR INSERT
    TO lead_command, lead_leadership, lead_case_manager, lead_admin
    WITH CHECK ('lead_' || role = current_user);

CREATE POLICY audit_read_by_admin ON audit_log FOR SELECT
    TO lead_admin
    USING (true);

-- The time and id of an audit row come from the database, not from the writer.
REVOKE INSERT ON audit_log FROM lead_command, lead_leadership, lead_case_manager, lead_admin;
GRANT INSERT (actor, role, action, target, outcome, detail) ON audit_log
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;

-- The admin's audit search filters by person, action and time.
CREATE INDEX audit_log_actor_at_idx ON audit_log (actor, at);
CREATE INDEX audit_log_action_at_idx ON audit_log (action, at);

-- Accounts: e-mail user names for single sign-on; '!' as password_hash means "no local
-- password" (no argon2 hash ever equals it, so the password form always refuses).
ALTER TABLE app_account DROP CONSTRAINT app_account_username_check;
ALTER TABLE app_account ADD CONSTRAINT app_account_username_check
    CHECK (username ~ '^[a-z0-9._@+-]{2,254}$');
ALTER TABLE app_account ADD COLUMN sso_only boolean
    GENERATED ALWAYS AS (password_hash = '!') STORED;

-- Admins see every account column except the password hash.
GRANT SELECT (failed_attempts, password_set_at, sso_only) ON app_account TO lead_admin;
