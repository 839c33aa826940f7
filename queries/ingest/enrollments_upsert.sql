-- Insert new enrollments, update changed ones; returns (new, updated). A blank door is the
-- contact's pathway, or social_contact without a contact (files written before the doors);
-- rows with neither door nor handoff_at keep the hash they had before both existed.
-- needs: ingest/enrollments_stage
WITH doored AS (
    SELECT s.*, coalesce(s.door, c.pathway, 'social_contact') AS door_of
    FROM staged_enrollment AS s
    LEFT JOIN contact AS c ON c.contact_id = s.contact_id
),
upserted AS (
    INSERT INTO enrollment AS t (enrollment_id, person_key, contact_id, referred_on, intake_on,
                                 exited_on, exit_reason, case_manager_id, door, handoff_at,
                                 sao_consent_on, case_reference, batch_id, row_hash)
    SELECT enrollment_id, person_key, contact_id, referred_on, intake_on, exited_on, exit_reason,
           case_manager_id, door_of, handoff_at, sao_consent_on, case_reference,
           %(batch_id)s::bigint,
           md5(ROW(person_key, contact_id, referred_on, intake_on, exited_on, exit_reason,
                   case_manager_id)::text
               || coalesce('|' || door, '') || coalesce('|' || handoff_at::text, '')
               || coalesce('|consent:' || sao_consent_on::text, '')
               || coalesce('|case:' || case_reference, ''))
    FROM doored
    ON CONFLICT (enrollment_id) DO UPDATE
    SET person_key = EXCLUDED.person_key, contact_id = EXCLUDED.contact_id,
        referred_on = EXCLUDED.referred_on, intake_on = EXCLUDED.intake_on,
        exited_on = EXCLUDED.exited_on, exit_reason = EXCLUDED.exit_reason,
        case_manager_id = EXCLUDED.case_manager_id, door = EXCLUDED.door,
        handoff_at = EXCLUDED.handoff_at, sao_consent_on = EXCLUDED.sao_consent_on,
        case_reference = EXCLUDED.case_reference, batch_id = EXCLUDED.batch_id,
        row_hash = EXCLUDED.row_hash
    WHERE t.row_hash IS DISTINCT FROM EXCLUDED.row_hash
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
FROM upserted
