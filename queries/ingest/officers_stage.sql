-- Staging for officers, dropped at the end of the transaction.
CREATE TEMP TABLE staged_officer (
    row_number integer, officer_id text, district text, sector text, post text, shift text,
    active boolean
) ON COMMIT DROP
