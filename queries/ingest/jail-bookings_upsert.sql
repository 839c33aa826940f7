-- Insert new jail bookings, update changed ones; returns (new, updated).
-- needs: ingest/jail-bookings_stage
WITH upserted AS (
    INSERT INTO jail_booking AS t (booking_id, person_key, booked_at, released_at, facility,
                                   batch_id, row_hash)
    SELECT booking_id, person_key, booked_at, released_at, facility, %(batch_id)s::bigint,
           md5(ROW(person_key, booked_at, released_at, facility)::text)
    FROM staged_booking
    ON CONFLICT (booking_id) DO UPDATE
    SET (person_key, booked_at, released_at, facility, batch_id, row_hash)
        = (EXCLUDED.person_key, EXCLUDED.booked_at, EXCLUDED.released_at, EXCLUDED.facility,
           EXCLUDED.batch_id, EXCLUDED.row_hash)
    WHERE t.row_hash IS DISTINCT FROM EXCLUDED.row_hash
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS new, count(*) - count(*) FILTER (WHERE inserted)
FROM upserted
