-- Sessions that survive a reload (migration 0024). The dashboard's login, as lead_signin,
-- opens a session after a good sign-in, checks it on every run and ends it; it never
-- reads the table itself. SECURITY DEFINER: lead_signin has no privilege on app_session.

CREATE OR REPLACE FUNCTION session_open(p_token_hash text, p_username text, p_method text,
                                        p_lifetime_minutes integer, p_nonce_hash text,
                                        p_nonce_seconds integer)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    INSERT INTO app_session (token_hash, username, method, expires_at, nonce_hash,
                             nonce_expires_at)
    VALUES (p_token_hash, p_username, p_method,
            now() + make_interval(mins => p_lifetime_minutes), p_nonce_hash,
            now() + make_interval(secs => p_nonce_seconds))
$$;

-- Exchange a session's one-time nonce for its cookie (migration 0026): 'ok' once, with
-- the session's expiry; 'used' for a nonce claimed before (the session then ends: a copy
-- of the nonce exists), 'expired', 'ended' (the session no longer opens anything) or
-- 'unknown'.
CREATE OR REPLACE FUNCTION session_claim(p_nonce_hash text)
RETURNS TABLE (username text, expires_at timestamptz, outcome text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    s app_session;
BEGIN
    SELECT * INTO s FROM app_session WHERE nonce_hash = p_nonce_hash FOR UPDATE;
    IF NOT FOUND THEN
        RETURN QUERY SELECT NULL::text, NULL::timestamptz, 'unknown'::text;
        RETURN;
    END IF;
    username := s.username; expires_at := s.expires_at;
    IF s.cookie_issued_at IS NOT NULL THEN
        outcome := 'used';
        UPDATE app_session SET ended_at = now(), end_reason = 'nonce_replayed'
        WHERE token_hash = s.token_hash AND ended_at IS NULL;
    ELSIF s.nonce_expires_at <= now() THEN
        outcome := 'expired';
    ELSIF s.ended_at IS NOT NULL OR s.expires_at <= now() THEN
        outcome := 'ended';
    ELSE
        outcome := 'ok';
        UPDATE app_session SET cookie_issued_at = now() WHERE token_hash = s.token_hash;
    END IF;
    RETURN NEXT;
END
$$;

-- The session's state: 'ok' (last_seen moved to now, role = the account's role now),
-- or why it no longer opens anything: 'unknown', 'ended', 'expired', 'idle' (ended
-- here), 'disabled', 'locked'.
CREATE OR REPLACE FUNCTION session_touch(p_token_hash text, p_idle_minutes integer)
RETURNS TABLE (username text, role text, method text, outcome text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    s app_session;
    a app_account;
BEGIN
    SELECT * INTO s FROM app_session WHERE token_hash = p_token_hash FOR UPDATE;
    IF NOT FOUND THEN
        RETURN QUERY SELECT NULL::text, NULL::text, NULL::text, 'unknown'::text;
        RETURN;
    END IF;
    SELECT * INTO a FROM app_account WHERE app_account.username = s.username;
    username := s.username; role := a.role; method := s.method;
    IF s.ended_at IS NOT NULL THEN
        outcome := 'ended';
    ELSIF s.expires_at <= now() THEN
        outcome := 'expired';
    ELSIF s.last_seen < now() - make_interval(mins => p_idle_minutes) THEN
        outcome := 'idle';
    ELSIF a.disabled THEN
        outcome := 'disabled';
    ELSIF a.locked_until IS NOT NULL AND a.locked_until > now() THEN
        outcome := 'locked';
    ELSE
        outcome := 'ok';
    END IF;
    IF outcome = 'ok' THEN
        UPDATE app_session SET last_seen = now() WHERE token_hash = p_token_hash;
    ELSIF s.ended_at IS NULL THEN
        UPDATE app_session SET ended_at = now(), end_reason = outcome
        WHERE token_hash = p_token_hash;
    END IF;
    RETURN NEXT;
END
$$;

CREATE OR REPLACE FUNCTION session_end(p_token_hash text, p_reason text)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    UPDATE app_session SET ended_at = now(), end_reason = p_reason
    WHERE token_hash = p_token_hash AND ended_at IS NULL
$$;

-- End every open session of an account (a password reset, a new role, disabling or locking
-- it): its cookies open nothing from now on, on every replica. Returns how many ended.
CREATE OR REPLACE FUNCTION session_end_all(p_username text, p_reason text)
RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH ended AS (
        UPDATE app_session SET ended_at = now(), end_reason = p_reason
        WHERE username = p_username AND ended_at IS NULL
        RETURNING 1
    )
    SELECT count(*)::integer FROM ended
$$;

REVOKE ALL ON FUNCTION session_open(text, text, text, integer, text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION session_claim(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION session_touch(text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION session_end(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION session_end_all(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION session_open(text, text, text, integer, text, integer) TO lead_signin;
GRANT EXECUTE ON FUNCTION session_claim(text) TO lead_signin;
GRANT EXECUTE ON FUNCTION session_touch(text, integer) TO lead_signin;
GRANT EXECUTE ON FUNCTION session_end(text, text) TO lead_signin;
-- lead_signin when failed sign-ins lock an account; lead_admin from the Accounts page.
GRANT EXECUTE ON FUNCTION session_end_all(text, text) TO lead_signin, lead_admin;
