-- Sign-in (migration 0018): the dashboard's login, as lead_signin, reads one account's
-- password hash, role and lock state by user name, and nothing else of app_account.
-- SECURITY DEFINER: lead_signin has no SELECT on password_hash.

CREATE OR REPLACE FUNCTION sign_in_account(account_name text)
RETURNS TABLE (username text, role text, password_hash text, disabled boolean,
               failed_attempts integer, locked_until timestamptz, locked boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT a.username, a.role, a.password_hash, a.disabled, a.failed_attempts,
           a.locked_until, a.locked_until IS NOT NULL AND a.locked_until > now()
    FROM app_account AS a WHERE a.username = account_name
$$;

REVOKE ALL ON FUNCTION sign_in_account(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sign_in_account(text) TO lead_signin;
