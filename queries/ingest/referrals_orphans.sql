-- Remove staged referrals of unknown enrollments; returns them with the reason.
-- needs: ingest/referrals_stage
DELETE FROM staged_referral s
WHERE NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.enrollment_id = s.enrollment_id)
RETURNING row_number, format('enrollment %%L does not exist (import enrollments first)',
                             enrollment_id)
