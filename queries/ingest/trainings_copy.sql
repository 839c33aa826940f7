-- needs: ingest/trainings_stage
COPY staged_training FROM STDIN WITH (FORMAT csv)
