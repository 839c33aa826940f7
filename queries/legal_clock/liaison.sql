-- The prosecutor liaison's slice as of today: consenting people's case reference, deadline and whether intake happened by it.
SELECT case_reference, deadline, intake_by_deadline FROM legal_clock_liaison()
