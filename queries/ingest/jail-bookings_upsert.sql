-- Insert new jail bookings, update changed ones; returns (new, updated).
-- needs: ingest/jail-bookings_stage
WITH upserted AS (
    INSERT INTO jail_booking AS t (booking_id, person_key, booked_at, released_at, facility,
                                   batch_id, row_hash)
    SELECT booking_id, person_key, booked_at, released_at, facility, %(batch_id)s::bigint,
           md5(ROW(person_key, booked_at, released_at, facility)::text)
    FROM staged_booking
    ON CONFLICT (booking_id) DO UPDATE
    SET person_key = EXCLUDED.person_key, booked_at = EXCLUDED.booked_at,
        released_at = EXCLUDED.released_at, facility = EXCLUDED.facility,
        batch_id = EXCLUDED.batch_id, row_hash = EXCLUDED.row_hash
    WHERE t.row_hash IS DISTINCT FROM EXCLUDED.row_hash
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
FROM upserted
