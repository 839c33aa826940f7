-- Sign-in that survives a reload (issue 16): one row per signed-in browser. The browser
-- holds a signed, expiring cookie naming its session (dashboard/auth_cookie.py); here is
-- only the SHA-256 of the session's random id, so a copy of this table opens nothing.
-- A session ends at sign-out, after the idle timeout, or at its fixed expiry; every run
-- of the dashboard checks the row and the account's current role, lock and disabled flag
-- (session_touch(), db/functions/sessions.sql), so an ended session, a disabled or locked
-- account or a changed role take effect at once, whatever the cookie says.
-- lead_signin reaches the table only through the SECURITY DEFINER functions.

CREATE TABLE app_session (
    token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    username   text NOT NULL REFERENCES app_account (username)
                   ON UPDATE CASCADE ON DELETE CASCADE,
    method     text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen  timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    ended_at   timestamptz,
    end_reason text
);
CREATE INDEX app_session_open ON app_session (username) WHERE ended_at IS NULL;
REVOKE ALL ON app_session FROM PUBLIC;
