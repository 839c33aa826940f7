-- Staging for contacts, dropped at the end of the transaction.
CREATE TEMP TABLE staged_contact (
    row_number integer, contact_id text, occurred_at text, latitude float8, longitude float8,
    offense text, pathway text, decision text, officer_id text, person_key text, age smallint,
    sex text, race text, ineligible_reason text, district text, post text, charge text
) ON COMMIT DROP
