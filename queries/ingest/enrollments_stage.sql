-- Staging for enrollments, dropped at the end of the transaction.
CREATE TEMP TABLE staged_enrollment (
    row_number integer, enrollment_id text, person_key text, contact_id text,
    referred_on date, intake_on date, exited_on date, exit_reason text, case_manager_id text,
    door text, handoff_at timestamptz,
    sao_consent_on date, case_reference text
) ON COMMIT DROP
