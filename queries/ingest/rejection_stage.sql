-- A staging table for rejected rows, dropped at the end of the transaction.
CREATE TEMP TABLE staged_rejection (row_number integer, reason text, raw jsonb) ON COMMIT DROP
