-- Intakes of a release period by days from referral to intake (bins) and whether the program was at capacity while they waited.
WITH bins (bin_low, bin_high) AS (VALUES (0, 7), (8, 14), (15, 30), (31, NULL::integer))
SELECT b.bin_low, b.bin_high, d.waited_at_capacity, sum(d.intakes)::integer AS intakes
FROM capacity_intake_delays(%(first_day)s::date, %(last_day)s::date) AS d
JOIN bins AS b ON d.delay_days >= b.bin_low AND (b.bin_high IS NULL OR d.delay_days <= b.bin_high)
GROUP BY b.bin_low, b.bin_high, d.waited_at_capacity
ORDER BY b.bin_low, d.waited_at_capacity
