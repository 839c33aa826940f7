-- needs: ingest/referrals_stage
COPY staged_referral FROM STDIN WITH (FORMAT csv)
