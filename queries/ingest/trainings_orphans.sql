-- Remove staged trainings of officers not on the roster; returns them with the reason.
-- needs: ingest/trainings_stage
DELETE FROM staged_training s
WHERE NOT EXISTS (SELECT 1 FROM officer o WHERE o.officer_id = s.officer_id)
RETURNING row_number, format('officer_id %%L is not on the roster (import officers first)',
                             officer_id)
