-- The legal clock's person-level due list: arrest diversions whose clock ran during the period, as of its last day (db/functions/legal_clock.sql).
SELECT enrollment_id, person_key, case_manager AS manager, case_reference, sao_consent_on,
       clock_start, deadline, intake_on, status, days_left
FROM legal_clock(%(start)s::date, %(end)s::date)
