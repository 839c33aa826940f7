-- Remove staged meetings of unknown enrollments, or dated before the referral; returns them with the reason.
-- needs: ingest/meetings_stage
DELETE FROM staged_meeting s
WHERE NOT EXISTS (SELECT 1 FROM enrollment e
                  WHERE e.enrollment_id = s.enrollment_id AND e.referred_on <= s.met_on)
RETURNING row_number,
    CASE WHEN EXISTS (SELECT 1 FROM enrollment e WHERE e.enrollment_id = s.enrollment_id)
         THEN format('met_on %%s is before the enrollment''s referral', met_on)
         ELSE format('enrollment %%L does not exist (import enrollments first)', enrollment_id)
    END
