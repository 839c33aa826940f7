-- Staging for case-manager meetings, dropped at the end of the transaction.
CREATE TEMP TABLE staged_meeting (
    row_number integer, enrollment_id text, met_on date
) ON COMMIT DROP
