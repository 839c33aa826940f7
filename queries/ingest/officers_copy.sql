-- needs: ingest/officers_stage
COPY staged_officer FROM STDIN WITH (FORMAT csv)
