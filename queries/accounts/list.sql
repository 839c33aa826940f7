-- Every account without its password hash (the columns lead_admin may read), by user name.
SELECT username, role, disabled, sso_only, is_demo, failed_attempts,
       locked_until, coalesce(locked_until > now(), false) AS locked,
       last_sign_in, created_at, password_set_at
FROM app_account
ORDER BY username
