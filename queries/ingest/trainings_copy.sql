-- Stage trainings from CSV: row number first, then the columns in table order.
-- needs: ingest/trainings_stage
COPY staged_training FROM STDIN WITH (FORMAT csv)
