-- Staging for jail bookings, dropped at the end of the transaction.
CREATE TEMP TABLE staged_booking (
    row_number integer, booking_id text, person_key text, booked_at timestamptz,
    released_at timestamptz, facility text
) ON COMMIT DROP
