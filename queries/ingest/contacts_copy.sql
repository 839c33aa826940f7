-- Stage contacts from CSV: row number first, then the columns in table order.
-- needs: ingest/contacts_stage
COPY staged_contact FROM STDIN WITH (FORMAT csv)
