-- Insert new service referrals, update changed ones; returns (new, updated).
-- needs: ingest/referrals_stage
WITH upserted AS (
    INSERT INTO service_referral AS t (referral_id, enrollment_id, service, referred_on, outcome,
                                       outcome_on, batch_id, row_hash)
    SELECT referral_id, enrollment_id, service, referred_on, outcome, outcome_on,
           %(batch_id)s::bigint,
           md5(ROW(enrollment_id, service, referred_on, outcome, outcome_on)::text)
    FROM staged_referral
    ON CONFLICT (referral_id) DO UPDATE
    SET enrollment_id = EXCLUDED.enrollment_id, service = EXCLUDED.service,
        referred_on = EXCLUDED.referred_on, outcome = EXCLUDED.outcome,
        outcome_on = EXCLUDED.outcome_on, batch_id = EXCLUDED.batch_id,
        row_hash = EXCLUDED.row_hash
    WHERE t.row_hash IS DISTINCT FROM EXCLUDED.row_hash
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
FROM upserted
