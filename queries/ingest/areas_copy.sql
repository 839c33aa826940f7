-- Stage program areas from CSV: row number first, then the columns in table order.
-- needs: ingest/areas_stage
COPY staged_area FROM STDIN WITH (FORMAT csv)
