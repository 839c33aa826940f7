-- needs: ingest/enrollments_stage
COPY staged_enrollment FROM STDIN WITH (FORMAT csv)
