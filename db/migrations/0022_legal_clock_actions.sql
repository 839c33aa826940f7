-- Issue 20 (part B): the legal clock, the prosecutor liaison, work-group action items.
--
-- The legal clock: for an arrest diversion the State's Attorney's Office (SAO) holds the
-- charges while the person completes intake within a site-set number of days, the
-- dated setting legal_clock_days; the deadline is the arrest contact's date plus the
-- days in force that date (db/functions/legal_clock.sql). Two enrollment columns come
-- through the import contract (docs/data-formats.md):
--   sao_consent_on   the day the participant consented to the SAO being told whether
--                    intake happened by the deadline; NULL: no consent recorded (a
--                    withdrawal is imported as an empty value)
--   case_reference   the SAO's reference for the held charges
--
-- lead_prosecutor_liaison (the SAO's liaison): NOLOGIN NOINHERIT like the other dashboard
-- roles, no table with program, treatment or police records; it reads only
-- legal_clock_liaison() (case reference, deadline, yes/no/pending for consenting people),
-- data_span() (the data's first and last contact dates, for the frame), the geography and
-- dataset facts every role reads, and appends its own audit rows. In the local cluster
-- scripts/localdb.sh creates the role (the owner has no CREATEROLE); elsewhere the block
-- below creates it when the migrating login may.
--
-- action_item: the operational work group's follow-up from each review meeting. Every
-- review role reads them; leadership, case managers and admins create and update them
-- (docs/access.md), each change with its audit row in the same transaction
-- (dashboard/review/actions.py). Items are about the program's operation, never about a
-- participant (the Review page says so), since police command reads them.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lead_prosecutor_liaison') THEN
        CREATE ROLE lead_prosecutor_liaison NOLOGIN NOINHERIT;
    END IF;
    EXECUTE format('GRANT lead_prosecutor_liaison TO %I', current_user);
END $$;
GRANT lead_prosecutor_liaison TO lead_dashboard;

ALTER TABLE app_account DROP CONSTRAINT app_account_role_check;
ALTER TABLE app_account ADD CONSTRAINT app_account_role_check
    CHECK (role IN ('command', 'leadership', 'case_manager', 'admin', 'prosecutor_liaison'));

GRANT USAGE ON SCHEMA public TO lead_prosecutor_liaison;
GRANT SELECT ON program_area, dataset_meta, spatial_ref_sys TO lead_prosecutor_liaison;

CREATE POLICY audit_append_own_role_liaison ON audit_log FOR INSERT
    TO lead_prosecutor_liaison
    WITH CHECK ('lead_' || role = current_user);
GRANT INSERT (actor, role, action, target, outcome, detail) ON audit_log
    TO lead_prosecutor_liaison;
GRANT USAGE ON SEQUENCE audit_log_audit_id_seq TO lead_prosecutor_liaison;

ALTER TABLE enrollment ADD COLUMN sao_consent_on date;
ALTER TABLE enrollment ADD COLUMN case_reference text;

INSERT INTO program_setting (key, effective_from, value, note) VALUES
    ('legal_clock_days', DATE '1900-01-01', 30,
     'Days the SAO holds an arrest diversion''s charges pending intake, from the contact date')
ON CONFLICT DO NOTHING;

CREATE TABLE action_item (
    item_id     bigserial PRIMARY KEY,
    title       text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    owner       text NOT NULL CHECK (length(btrim(owner)) BETWEEN 1 AND 120),
    due_on      date NOT NULL,
    status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
    notes       text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    raised_on   date NOT NULL,     -- the day of the review meeting that raised it
    closed_on   date,              -- the day it was marked done or dropped
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'open') = (closed_on IS NULL)),
    CHECK (closed_on IS NULL OR closed_on >= raised_on)
);
CREATE INDEX action_item_open_idx ON action_item (raised_on, closed_on);

GRANT SELECT ON action_item TO lead_command, lead_leadership, lead_case_manager, lead_admin;
GRANT INSERT (title, owner, due_on, notes, raised_on, created_by, updated_by),
      UPDATE (owner, due_on, status, notes, closed_on, updated_by, updated_at)
    ON action_item TO lead_leadership, lead_case_manager, lead_admin;
GRANT USAGE ON SEQUENCE action_item_item_id_seq
    TO lead_leadership, lead_case_manager, lead_admin;

-- Cached review results are keyed by the data version (0017): an item change moves it.
CREATE TRIGGER action_item_data_version AFTER INSERT OR UPDATE OR DELETE ON action_item
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER action_item_truncate_data_version AFTER TRUNCATE ON action_item
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
