-- Referrals, intakes, handoffs (and those within target) of a release period and participants active on its last day, by referral door, with the median handoff in minutes.
SELECT door, referrals, intakes, active, handoffs, within_target,
       median_handoff::float8 AS median_handoff
FROM door_flow(%(first_day)s::date, %(last_day)s::date)
