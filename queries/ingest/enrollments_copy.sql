-- Stage enrollments from CSV: row number first, then the columns in table order.
-- needs: ingest/enrollments_stage
COPY staged_enrollment FROM STDIN WITH (FORMAT csv)
