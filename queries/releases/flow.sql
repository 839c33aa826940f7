-- Intakes and exits of a release period with the median days referral to intake and intake to exit.
SELECT intakes, exits, median_wait::float8 AS median_wait, median_stay::float8 AS median_stay
FROM capacity_stays(%(first_day)s::date, %(last_day)s::date)
