-- An HttpOnly session cookie (issue 16): the page's script never sees the cookie. At a
-- password sign-in the dashboard opens the session (migration 0024) with a one-time
-- nonce, of which only the SHA-256 is kept here, valid for a few seconds; the page
-- posts the nonce to the launcher's route (dashboard/serve.py), which claims it once
-- (session_claim(), db/functions/sessions.sql) and answers with the cookie in a
-- Set-Cookie: HttpOnly header. A nonce claimed a second time ends its session.
ALTER TABLE app_session
    ADD COLUMN nonce_hash text UNIQUE CHECK (nonce_hash ~ '^[0-9a-f]{64}$'),
    ADD COLUMN nonce_expires_at timestamptz,
    ADD COLUMN cookie_issued_at timestamptz;
