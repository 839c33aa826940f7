-- Delete the demo's jail bookings (their booking ids carry the demo prefix).
DELETE FROM jail_booking WHERE booking_id LIKE %(prefix)s
