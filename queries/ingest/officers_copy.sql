-- Stage officers from CSV: row number first, then the columns in table order.
-- needs: ingest/officers_stage
COPY staged_officer FROM STDIN WITH (FORMAT csv)
