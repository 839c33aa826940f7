-- Insert new case-manager meetings (a meeting is its key: nothing to update); returns (new, updated).
-- needs: ingest/meetings_stage
WITH inserted AS (
    INSERT INTO case_meeting (enrollment_id, met_on, batch_id)
    SELECT enrollment_id, met_on, %(batch_id)s::bigint
    FROM staged_meeting
    ON CONFLICT (enrollment_id, met_on) DO NOTHING
    RETURNING 1
)
SELECT count(*), 0 FROM inserted
