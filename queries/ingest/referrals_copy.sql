-- Stage service referrals from CSV: row number first, then the columns in table order.
-- needs: ingest/referrals_stage
COPY staged_referral FROM STDIN WITH (FORMAT csv)
