-- needs: ingest/case-managers_stage
COPY staged_case_manager FROM STDIN WITH (FORMAT csv)
