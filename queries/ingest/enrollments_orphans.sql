-- Remove staged enrollments naming an unknown contact or case manager, with the reason.
-- needs: ingest/enrollments_stage
DELETE FROM staged_enrollment s
WHERE (s.contact_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM contact c WHERE c.contact_id = s.contact_id))
   OR (s.case_manager_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM case_manager m
                       WHERE m.case_manager_id = s.case_manager_id))
RETURNING row_number, concat_ws('; ',
    CASE WHEN s.contact_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM contact c WHERE c.contact_id = s.contact_id)
         THEN format('contact_id %%L is not a known contact (import contacts first)',
                     s.contact_id) END,
    CASE WHEN s.case_manager_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM case_manager m
                          WHERE m.case_manager_id = s.case_manager_id)
         THEN format('case_manager_id %%L is not a known case manager '
                     '(import case-managers first)', s.case_manager_id) END)
