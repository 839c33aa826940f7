-- needs: ingest/rejection_stage
COPY staged_rejection (row_number, reason, raw) FROM STDIN WITH (FORMAT csv)
