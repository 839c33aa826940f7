-- Separate database logins (issue 15). Migrations, imports and every command-line tool
-- connect as the schema owner; the dashboard connects as a login that owns nothing and
-- is a member of lead_dashboard only:
--   lead_dashboard  NOLOGIN NOINHERIT: the roles the dashboard may SET ROLE to (every
--                   lead_<role> and lead_signin), and, for itself, reading the schema's
--                   migration records (it checks the schema is current; it never migrates).
--                   NOINHERIT: its login holds none of those roles' privileges until it
--                   sets one.
--   lead_signin     NOLOGIN NOINHERIT: sign-in bookkeeping before a user's role is known:
--                   one account's password hash through sign_in_account()
--                   (db/functions/accounts.sql), the failure count and lock, and the
--                   sign-in and sign-out rows of the audit log. No hash column, no other
--                   account column, no other audit row.
-- The login itself (leadops_app in the local cluster) is created outside migrations,
-- with its password (scripts/localdb.sh; docs/access.md for other servers), and granted
-- lead_dashboard. With one login for everything (DATABASE_OWNER_URL unset) that login is
-- the owner and is granted both roles here, as 0002 does.

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['lead_signin', 'lead_dashboard']
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN NOINHERIT', r);
        END IF;
        EXECUTE format('GRANT %I TO %I', r, current_user);
    END LOOP;
END $$;

GRANT lead_command, lead_leadership, lead_case_manager, lead_admin, lead_signin
    TO lead_dashboard;

-- migrate creates schema_repeatable after the numbered migrations; a fresh database
-- reaches this file first.
CREATE TABLE IF NOT EXISTS schema_repeatable (
    name text PRIMARY KEY, checksum text NOT NULL, functions text[] NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON schema_migration, schema_repeatable TO lead_dashboard;

-- Sign-in: count failures, lock, record the last sign-in (accounts/record_*.sql).
GRANT SELECT (username, failed_attempts, locked_until),
      UPDATE (failed_attempts, locked_until, last_sign_in)
    ON app_account TO lead_signin;

-- Sign-in and sign-out rows only; the time and id come from the database (as in 0009).
GRANT INSERT (actor, role, action, target, outcome, detail) ON audit_log TO lead_signin;
GRANT USAGE ON SEQUENCE audit_log_audit_id_seq TO lead_signin;
CREATE POLICY audit_sign_in_rows ON audit_log FOR INSERT
    TO lead_signin
    WITH CHECK (action IN ('sign_in', 'sign_out'));

-- As 0002, for the owner that runs the migrations from now on (a database handed over
-- from the old superuser login keeps that login's default privileges, not the owner's).
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
