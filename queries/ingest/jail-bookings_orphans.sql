-- Remove staged bookings of people with no enrollment (only participants' bookings are kept) or released before booked; returns them with the reason.
-- needs: ingest/jail-bookings_stage
DELETE FROM staged_booking s
WHERE NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.person_key = s.person_key)
   OR s.released_at < s.booked_at
RETURNING row_number, concat_ws('; ',
    CASE WHEN NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.person_key = s.person_key)
         THEN format('person_key %%L has no enrollment (import enrollments first; only '
                     'participants'' bookings are kept)', person_key) END,
    CASE WHEN s.released_at < s.booked_at THEN 'released_at is before booked_at' END)
