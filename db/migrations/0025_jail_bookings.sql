-- Issue 20 (cost avoided): jail bookings of participants, and the dated settings that
-- turn them into bed-days and costs before vs after enrollment.
--
--   jail_booking     one booking into a jail (booking_id from the jail's system), linked
--                    to a participant by person_key (as enrollment.person_key), with when
--                    the person was booked and released (released_at NULL: still held)
--                    and the facility. Loaded by `python -m ingest jail-bookings`; a
--                    booking of a person with no enrollment is rejected, so the table
--                    only holds participants' bookings.
-- Jail records of participants are person-level: read by case managers and admins only,
-- like enrollment. Command and leadership read the cost figures only from releases
-- (db/functions/cost.sql computes them; releases/ protects them).

CREATE TABLE jail_booking (
    booking_id   text PRIMARY KEY,
    person_key   text NOT NULL,
    booked_at    timestamptz NOT NULL,
    released_at  timestamptz,
    facility     text,
    batch_id     bigint REFERENCES import_batch,
    row_hash     text,
    CHECK (released_at IS NULL OR released_at >= booked_at)
);
CREATE INDEX jail_booking_person_idx ON jail_booking (person_key, booked_at);
CREATE INDEX jail_booking_batch_idx ON jail_booking (batch_id);

CREATE TRIGGER jail_booking_data_version AFTER INSERT OR UPDATE OR DELETE ON jail_booking
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER jail_booking_truncate_data_version AFTER TRUNCATE ON jail_booking
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();

-- Person-level jail records: case managers read, admins correct; no other role.
GRANT SELECT ON jail_booking TO lead_case_manager, lead_admin;
GRANT INSERT, UPDATE, DELETE ON jail_booking TO lead_admin;

INSERT INTO program_setting (key, effective_from, value, note) VALUES
    ('cost_window_days', DATE '1900-01-01', 365,
     'Days before and after intake compared for jail bookings and bed-days'),
    ('cost_per_bed_day', DATE '1900-01-01', 163,
     'US dollars per jail bed-day. Default: Maryland Division of Correction, FY2023 monthly '
     'cost of room and board and health care per inmate, $4,970 (Maryland Manual, '
     '"Criminal justice" at a glance, msa.maryland.gov) x 12 / 365 = $163. That is the '
     'state prison figure, not Baltimore pretrial detention: site to confirm'),
    ('cost_per_booking', DATE '1900-01-01', 0,
     'US dollars per jail booking (intake processing). No verified published figure: '
     'site to set; the placeholder 0 is an assumption and leaves bookings uncosted')
ON CONFLICT (key, effective_from) DO NOTHING;
