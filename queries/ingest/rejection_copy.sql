-- Stage rejected rows from CSV: row number, reason, the row as JSON.
-- needs: ingest/rejection_stage
COPY staged_rejection (row_number, reason, raw) FROM STDIN WITH (FORMAT csv)
