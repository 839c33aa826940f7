-- Admin pages write as lead_admin (issue 17): the Imports page loads files and rolls
-- batches back, the Accounts page manages accounts, each in one transaction under the
-- admin's own role (the dashboard's login owns nothing; the command line keeps the owner
-- path). lead_admin therefore writes the imported tables and their batch records, and
-- every account column but the generated ones; it still never reads a password hash.
--
-- The last-admin trigger of 0017 runs as its owner: it must read every account's role
-- and state whoever changes a row (lead_signin counting a failed sign-in included).

ALTER FUNCTION app_account_keep_an_admin() SECURITY DEFINER;
ALTER FUNCTION app_account_keep_an_admin() SET search_path = public, pg_temp;

GRANT INSERT, UPDATE, DELETE
    ON contact, officer, training, case_manager, enrollment, service_referral, program_area
    TO lead_admin;
GRANT INSERT, UPDATE ON import_batch TO lead_admin;
GRANT INSERT ON import_rejection TO lead_admin;
GRANT USAGE ON SEQUENCE import_batch_batch_id_seq, program_area_area_id_seq TO lead_admin;

GRANT INSERT (username, role, password_hash),
      UPDATE (role, disabled, password_hash, password_set_at, failed_attempts, locked_until)
    ON app_account TO lead_admin;
