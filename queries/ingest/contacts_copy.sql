-- needs: ingest/contacts_stage
COPY staged_contact FROM STDIN WITH (FORMAT csv)
