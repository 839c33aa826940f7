-- needs: ingest/areas_stage
COPY staged_area FROM STDIN WITH (FORMAT csv)
