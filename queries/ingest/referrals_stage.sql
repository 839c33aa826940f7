-- Staging for service referrals, dropped at the end of the transaction.
CREATE TEMP TABLE staged_referral (
    row_number integer, referral_id text, enrollment_id text, service text, referred_on date,
    outcome text, outcome_on date
) ON COMMIT DROP
