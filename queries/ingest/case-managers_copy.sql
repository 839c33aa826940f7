-- Stage case managers from CSV: row number first, then the columns in table order.
-- needs: ingest/case-managers_stage
COPY staged_case_manager FROM STDIN WITH (FORMAT csv)
