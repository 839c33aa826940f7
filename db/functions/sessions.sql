-- Sessions that survive a reload (migration 0024). The dashboard's login, as lead_signin,
-- opens a session after a good sign-in, checks it on every run and ends it; it never
-- reads the table itself. SECURITY DEFINER: lead_signin has no privilege on app_session.

CREATE OR REPLACE FUNCTION session_open(p_token_hash text, p_username text, p_method text,
                                        p_lifetime_minutes integer)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    INSERT INTO app_session (token_hash, username, method, expires_at)
    VALUES (p_token_hash, p_username, p_method,
            now() + make_interval(mins => p_lifetime_minutes))
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

REVOKE ALL ON FUNCTION session_open(text, text, text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION session_touch(text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION session_end(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION session_open(text, text, text, integer) TO lead_signin;
GRANT EXECUTE ON FUNCTION session_touch(text, integer) TO lead_signin;
GRANT EXECUTE ON FUNCTION session_end(text, text) TO lead_signin;
