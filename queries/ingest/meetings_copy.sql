-- Stage case-manager meetings from CSV: row number first, then the columns in table order.
-- needs: ingest/meetings_stage
COPY staged_meeting FROM STDIN WITH (FORMAT csv)
