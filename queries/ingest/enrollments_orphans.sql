-- Remove staged enrollments naming an unknown contact or case manager, a community referral naming a police contact, or a handoff before the contact, with the reason.
-- needs: ingest/enrollments_stage
WITH problems AS (
    SELECT s.row_number, concat_ws('; ',
        CASE WHEN s.contact_id IS NOT NULL AND c.contact_id IS NULL
             THEN format('contact_id %%L is not a known contact (import contacts first)',
                         s.contact_id) END,
        CASE WHEN s.case_manager_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM case_manager m
                              WHERE m.case_manager_id = s.case_manager_id)
             THEN format('case_manager_id %%L is not a known case manager '
                         '(import case-managers first)', s.case_manager_id) END,
        CASE WHEN s.door = 'community' AND s.contact_id IS NOT NULL
             THEN 'door community is a referral without police contact: contact_id must be '
                  'empty' END,
        CASE WHEN s.handoff_at < c.occurred_at
             THEN 'handoff_at is before the contact''s occurred_at' END) AS reason
    FROM staged_enrollment AS s
    LEFT JOIN contact AS c ON c.contact_id = s.contact_id
)
DELETE FROM staged_enrollment s
USING problems AS p
WHERE p.row_number = s.row_number AND p.reason <> ''
RETURNING s.row_number, p.reason
