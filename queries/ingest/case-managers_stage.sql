-- Staging for case managers, dropped at the end of the transaction.
CREATE TEMP TABLE staged_case_manager (
    row_number integer, case_manager_id text, name text, organization text
) ON COMMIT DROP
