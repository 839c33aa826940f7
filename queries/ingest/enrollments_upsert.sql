-- Insert new enrollments, update changed ones; returns (new, updated).
-- needs: ingest/enrollments_stage
WITH upserted AS (
    INSERT INTO enrollment AS t (enrollment_id, person_key, contact_id, referred_on, intake_on,
                                 exited_on, exit_reason, case_manager_id, batch_id, row_hash)
    SELECT enrollment_id, person_key, contact_id, referred_on, intake_on, exited_on, exit_reason,
           case_manager_id, %(batch_id)s::bigint,
           md5(ROW(person_key, contact_id, referred_on, intake_on, exited_on, exit_reason,
                   case_manager_id)::text)
    FROM staged_enrollment
    ON CONFLICT (enrollment_id) DO UPDATE
    SET person_key = EXCLUDED.person_key, contact_id = EXCLUDED.contact_id,
        referred_on = EXCLUDED.referred_on, intake_on = EXCLUDED.intake_on,
        exited_on = EXCLUDED.exited_on, exit_reason = EXCLUDED.exit_reason,
        case_manager_id = EXCLUDED.case_manager_id, batch_id = EXCLUDED.batch_id,
        row_hash = EXCLUDED.row_hash
    WHERE t.row_hash IS DISTINCT FROM EXCLUDED.row_hash
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
FROM upserted
