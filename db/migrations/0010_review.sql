-- The targets leadership reviews the review-meeting figures against (the figures come
-- from the functions of db/functions/review.sql).
-- Targets are program settings with effective dates, set by admins on the Settings page.

INSERT INTO program_setting (key, effective_from, value, note) VALUES
    ('target_capacity_use_pct', DATE '1900-01-01', 90,
     'Target: average active participants as a share of capacity'),
    ('target_referral_to_intake_days', DATE '1900-01-01', 7,
     'Target: median days from referral to intake, at most'),
    ('target_training_coverage_pct', DATE '1900-01-01', 80,
     'Target: share of active Central District officers with current LEAD training'),
    ('target_referral_engagement_pct', DATE '1900-01-01', 60,
     'Target: share of service referrals that reached engagement'),
    ('target_eligible_diverted_pct', DATE '1900-01-01', 50,
     'Target: share of eligible contacts diverted to LEAD')
ON CONFLICT DO NOTHING;
