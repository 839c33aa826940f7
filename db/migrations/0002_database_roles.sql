-- Least privilege in PostgreSQL itself: one NOLOGIN role per dashboard role.
-- The dashboard connects as the owner and runs every page query after
-- `SET LOCAL ROLE lead_<role>`, so PostgreSQL, not the UI, decides what each role reads.
--   lead_command       police command staff: contacts, officers, trainings, areas;
--                      treatment figures only through aggregate functions.
--   lead_leadership    BHSB leadership: like command, plus aggregate outcome functions;
--                      no person keys.
--   lead_case_manager  person-level enrollments, referrals and case managers.
--   lead_admin         everything above, plus imports, settings and the audit log.
-- Aggregate functions (db/functions/) are SECURITY DEFINER and granted per role.

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['lead_command', 'lead_leadership', 'lead_case_manager', 'lead_admin']
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN NOINHERIT', r);
        END IF;
        -- The connecting (migrating) user must be able to SET ROLE to each of them.
        EXECUTE format('GRANT %I TO %I', r, current_user);
    END LOOP;
END $$;

-- Functions are executable by PUBLIC unless revoked: make grants explicit instead.
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;

GRANT USAGE ON SCHEMA public TO lead_command, lead_leadership, lead_case_manager, lead_admin;

-- Reference data every role reads.
GRANT SELECT ON program_area, program_setting, dataset_meta, spatial_ref_sys
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;

-- Police records. Leadership sees contacts without the person key.
GRANT SELECT ON contact, officer, training TO lead_command, lead_case_manager, lead_admin;
GRANT SELECT (contact_id, occurred_at, geom, offense, pathway, decision, officer_id,
              age, sex, race, ineligible_reason, district, post)
    ON contact TO lead_leadership;
GRANT SELECT ON officer, training TO lead_leadership;

-- Person-level program and treatment records (42 CFR Part 2): case managers and admins.
GRANT SELECT ON enrollment, service_referral, case_manager TO lead_case_manager, lead_admin;

-- Administration.
GRANT SELECT ON import_batch, import_rejection, audit_log TO lead_admin;
GRANT INSERT, UPDATE ON program_setting TO lead_admin;

-- Every role writes its own audit rows; none may change them (see the triggers).
GRANT INSERT ON audit_log TO lead_command, lead_leadership, lead_case_manager, lead_admin;
GRANT USAGE ON SEQUENCE audit_log_audit_id_seq
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;
