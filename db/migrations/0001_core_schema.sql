-- Core schema: program geography, officers and trainings, contacts, enrollments,
-- referrals, program settings, import batches with their rejected rows, audit log.
-- Geometries are EPSG:4326 with GiST indexes. Dates are Baltimore (America/New_York) dates.

CREATE EXTENSION IF NOT EXISTS postgis;

-- Import batches come first: every loaded row names the batch that last wrote it.
CREATE TABLE import_batch (
    batch_id      bigserial PRIMARY KEY,
    kind          text NOT NULL,
    format        text NOT NULL,
    file_name     text NOT NULL,
    file_sha256   text NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    status        text NOT NULL DEFAULT 'running'
                  CHECK (status IN ('running', 'loaded', 'rejected')),
    strict        boolean NOT NULL DEFAULT false,
    rows_read     integer NOT NULL DEFAULT 0,
    rows_new      integer NOT NULL DEFAULT 0,
    rows_updated  integer NOT NULL DEFAULT 0,
    rows_unchanged integer NOT NULL DEFAULT 0,
    rows_duplicate integer NOT NULL DEFAULT 0,
    rows_rejected integer NOT NULL DEFAULT 0,
    imported_by   text NOT NULL DEFAULT current_user
);

CREATE TABLE import_rejection (
    batch_id    bigint NOT NULL REFERENCES import_batch ON DELETE CASCADE,
    row_number  integer NOT NULL,          -- line in the file, header = 1
    reason      text NOT NULL,
    raw         jsonb NOT NULL,
    PRIMARY KEY (batch_id, row_number)
);

-- Catchment, districts, sectors and posts. valid_to is exclusive; NULL = still valid.
CREATE TABLE program_area (
    area_id       bigserial PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('catchment', 'district', 'sector', 'post', 'city')),
    name          text NOT NULL,
    valid_from    date NOT NULL DEFAULT DATE '1900-01-01',
    valid_to      date,
    source        text NOT NULL,
    is_approximation boolean NOT NULL DEFAULT false,
    geom          geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
    batch_id      bigint REFERENCES import_batch,
    row_hash      text NOT NULL,
    UNIQUE (kind, name, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX program_area_geom_idx ON program_area USING gist (geom);

CREATE TABLE officer (
    officer_id  text PRIMARY KEY,
    district    text,
    sector      text,
    post        text,
    shift       text,
    active      boolean NOT NULL DEFAULT true,
    batch_id    bigint REFERENCES import_batch,
    row_hash    text NOT NULL
);

CREATE TABLE training (
    officer_id    text NOT NULL REFERENCES officer,
    course        text NOT NULL,
    completed_on  date NOT NULL,
    expires_on    date,
    batch_id      bigint REFERENCES import_batch,
    row_hash      text NOT NULL,
    PRIMARY KEY (officer_id, course, completed_on),
    CHECK (expires_on IS NULL OR expires_on >= completed_on)
);

-- Police contacts (stops and arrests). officer_id is not a foreign key: police records
-- arrive independently of the roster, and a contact by an unknown officer counts as
-- handled by an untrained officer.
CREATE TABLE contact (
    contact_id   text PRIMARY KEY,
    occurred_at  timestamptz NOT NULL,
    geom         geometry(Point, 4326) NOT NULL,
    offense      text NOT NULL CHECK (offense IN ('drug', 'prostitution', 'other')),
    pathway      text NOT NULL CHECK (pathway IN ('arrest', 'social_contact')),
    decision     text NOT NULL
                 CHECK (decision IN ('diverted', 'declined', 'ineligible', 'arrested', 'released')),
    officer_id   text,
    person_key   text,
    age          smallint CHECK (age BETWEEN 0 AND 120),
    sex          text,
    race         text,
    ineligible_reason text,
    district     text,
    post         text,
    charge       text,
    batch_id     bigint REFERENCES import_batch,
    row_hash     text NOT NULL
);
CREATE INDEX contact_geom_idx ON contact USING gist (geom);
CREATE INDEX contact_occurred_at_idx ON contact (occurred_at);
CREATE INDEX contact_person_key_idx ON contact (person_key);
CREATE INDEX contact_officer_idx ON contact (officer_id);

CREATE TABLE case_manager (
    case_manager_id text PRIMARY KEY,
    name            text NOT NULL,
    organization    text NOT NULL,
    batch_id        bigint REFERENCES import_batch,
    row_hash        text NOT NULL
);

CREATE TABLE enrollment (
    enrollment_id   text PRIMARY KEY,
    person_key      text NOT NULL,
    contact_id      text REFERENCES contact,   -- NULL: a social-contact referral
    referred_on     date NOT NULL,
    intake_on       date,
    exited_on       date,
    exit_reason     text,
    case_manager_id text REFERENCES case_manager,
    batch_id        bigint REFERENCES import_batch,
    row_hash        text NOT NULL,
    CHECK (intake_on IS NULL OR intake_on >= referred_on),
    CHECK (exited_on IS NULL OR exited_on >= coalesce(intake_on, referred_on))
);
CREATE INDEX enrollment_dates_idx ON enrollment (referred_on, intake_on, exited_on);
CREATE INDEX enrollment_person_idx ON enrollment (person_key);

CREATE TABLE service_referral (
    referral_id    text PRIMARY KEY,
    enrollment_id  text NOT NULL REFERENCES enrollment,
    service        text NOT NULL
                   CHECK (service IN ('drug_treatment', 'mental_health', 'housing', 'other')),
    referred_on    date NOT NULL,
    outcome        text NOT NULL
                   CHECK (outcome IN ('pending', 'engaged', 'completed', 'declined', 'no_show')),
    outcome_on     date,
    batch_id       bigint REFERENCES import_batch,
    row_hash       text NOT NULL,
    CHECK (outcome_on IS NULL OR outcome_on >= referred_on)
);
CREATE INDEX service_referral_enrollment_idx ON service_referral (enrollment_id);

-- Program rules that change over time: the value in force on day d is the row with the
-- latest effective_from <= d.
CREATE TABLE program_setting (
    key             text NOT NULL,
    effective_from  date NOT NULL,
    value           numeric NOT NULL,
    note            text,
    PRIMARY KEY (key, effective_from)
);
INSERT INTO program_setting (key, effective_from, value, note) VALUES
    ('capacity', DATE '1900-01-01', 60, 'Participants served at any one time (pilot rule)'),
    ('intake_window_days', DATE '1900-01-01', 30, 'Days from referral to intake before a referral is overdue'),
    ('catchment_ring_m', DATE '1900-01-01', 400, 'Width of the "just outside the catchment" ring'),
    ('training_expiry_warning_days', DATE '1900-01-01', 90, 'Look-ahead for expiring trainings'),
    ('caseload_flag', DATE '1900-01-01', 20, 'Caseload above which a case manager is flagged'),
    ('caseload_breach', DATE '1900-01-01', 25, 'Caseload above which the national LEAD guidance is breached'),
    ('trained_officers_target', DATE '1900-01-01', 120, 'LEAD-trained Central District officers (pilot commitment)'),
    ('small_cell_threshold', DATE '1900-01-01', 10, 'Counts from 1 to this value are suppressed outside the case-manager role');

-- Facts about the loaded data set (e.g. demo_data = 'true' while demo rows are present).
CREATE TABLE dataset_meta (
    key    text PRIMARY KEY,
    value  text NOT NULL,
    set_at timestamptz NOT NULL DEFAULT now()
);

-- Append-only audit log: no UPDATE, DELETE or TRUNCATE, for anyone.
CREATE TABLE audit_log (
    audit_id   bigserial PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    actor      text NOT NULL,
    role       text,
    action     text NOT NULL,
    target     text,
    outcome    text NOT NULL,
    detail     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
