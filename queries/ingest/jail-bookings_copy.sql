-- Stage jail bookings from CSV: row number first, then the columns in table order.
-- needs: ingest/jail-bookings_stage
COPY staged_booking FROM STDIN WITH (FORMAT csv)
