-- Intakes in a window by days from referral to intake, and whether the program was at capacity while the person waited.
SELECT delay_days, waited_at_capacity, intakes
FROM capacity_intake_delays(%(start)s::date, %(end)s::date)
ORDER BY delay_days, waited_at_capacity
