-- Staging for trainings, dropped at the end of the transaction.
CREATE TEMP TABLE staged_training (
    row_number integer, officer_id text, course text, completed_on date, expires_on date
) ON COMMIT DROP
