-- Issue 20 (part A): the three referral doors, the warm handoff and case-manager meetings.
--
--   enrollment.door        how the person came to LEAD: 'arrest' (arrest diversion: an
--                          officer diverts instead of booking), 'social_contact' (an officer
--                          refers someone without an arrest), 'community' (a community
--                          referral: no police contact, so no contact_id). Rows loaded
--                          before this migration take their contact's pathway, or
--                          'social_contact' when they name no contact (what 0001 meant by a
--                          NULL contact_id).
--   enrollment.handoff_at  when the case manager met the person after the officer's
--                          contact (the warm handoff); NULL when it did not happen or is not
--                          recorded. The handoff time is handoff_at - contact.occurred_at.
--   case_meeting           days a case manager met an enrolled participant; a participant
--                          active on d with no meeting (nor intake) in the in_the_wind_days
--                          before d is "in the wind" on d (db/functions/caseloads.sql).
-- Treatment records (42 CFR Part 2): read by case managers and admins only, like enrollment.

ALTER TABLE enrollment ADD COLUMN door text CHECK (door IN ('arrest', 'social_contact', 'community'));
UPDATE enrollment AS e
SET door = coalesce((SELECT c.pathway FROM contact AS c WHERE c.contact_id = e.contact_id),
                    'social_contact');
ALTER TABLE enrollment ALTER COLUMN door SET NOT NULL;
ALTER TABLE enrollment ADD CONSTRAINT enrollment_community_has_no_contact
    CHECK (door <> 'community' OR contact_id IS NULL);
ALTER TABLE enrollment ADD COLUMN handoff_at timestamptz;
CREATE INDEX enrollment_contact_idx ON enrollment (contact_id);

CREATE TABLE case_meeting (
    enrollment_id  text NOT NULL REFERENCES enrollment,
    met_on         date NOT NULL,
    batch_id       bigint REFERENCES import_batch,
    PRIMARY KEY (enrollment_id, met_on)
);

GRANT SELECT ON case_meeting TO lead_case_manager, lead_admin;
GRANT INSERT, UPDATE, DELETE ON case_meeting TO lead_admin;

CREATE TRIGGER case_meeting_data_version AFTER INSERT OR UPDATE OR DELETE ON case_meeting
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER case_meeting_truncate_data_version AFTER TRUNCATE ON case_meeting
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();

INSERT INTO program_setting (key, effective_from, value, note) VALUES
    ('warm_handoff_target_minutes', DATE '1900-01-01', 30,
     'Minutes from the officer''s contact to the case manager meeting the person (LEAD guidance)'),
    ('in_the_wind_days', DATE '1900-01-01', 30,
     'Days without a case-manager meeting after which an active participant is "in the wind"'),
    ('caseload_target_low', DATE '1900-01-01', 12,
     'Lower end of the target caseload per case manager (LEAD guidance: 12-15)'),
    ('caseload_target_high', DATE '1900-01-01', 15,
     'Upper end of the target caseload per case manager (LEAD guidance: 12-15)'),
    ('caseload_average_max', DATE '1900-01-01', 20,
     'Highest acceptable average caseload across case managers (LEAD guidance)')
ON CONFLICT (key, effective_from) DO NOTHING;
