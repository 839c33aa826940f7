-- Staging for program areas, dropped at the end of the transaction.
CREATE TEMP TABLE staged_area (
    row_number integer, kind text, name text, valid_from date, valid_to date, source text,
    is_approximation boolean, wkt text
) ON COMMIT DROP
