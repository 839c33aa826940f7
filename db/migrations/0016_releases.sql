-- Statistical releases (issue 15): what police command and BHSB leadership read instead
-- of functions over arbitrary windows.
--
-- A release is a fixed closed period (a month, a quarter, a calendar year, or the pilot
-- to date at a month's end) whose figures were computed, protected together with every
-- other release and audited by `python -m releases refresh` (releases/), then stored
-- here in one transaction, so readers see the whole previous set or the whole new one.
--   release            the periods; last_day <= data_as_of (closed periods only).
--   release_figure     every published count: value NULL when hidden, label as shown
--                      ('<11' for a small count, 'suppressed' for a complementary cell).
--                      Hidden true values are never stored where command or leadership
--                      can read them.
--   release_statistic  medians and quartiles, value NULL when withheld by the rule.
--   release_audit      (admin only) per hidden cell: true value, label bounds, the exact
--                      LP bounds over everything a reader sees, protection level, pass.
--   census_day, census_week  public program totals (the daily census and the weekly
--                      flow), refreshed with the releases: no windowed function needed.

CREATE TABLE release (
    release_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    period_kind  text NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year', 'pilot')),
    first_day    date NOT NULL,
    last_day     date NOT NULL,
    label        text NOT NULL,
    data_as_of   date NOT NULL,
    computed_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (period_kind, first_day, last_day),
    CHECK (first_day <= last_day AND last_day <= data_as_of)
);

CREATE TABLE release_figure (
    release_id  bigint NOT NULL REFERENCES release ON DELETE CASCADE,
    figure      text NOT NULL,
    row_key     text NOT NULL,
    col_key     text NOT NULL,
    value       integer CHECK (value >= 0),
    label       text NOT NULL,
    status      text NOT NULL CHECK (status IN ('shown', 'primary', 'complementary')),
    PRIMARY KEY (release_id, figure, row_key, col_key),
    CHECK ((status = 'shown') = (value IS NOT NULL))
);

CREATE TABLE release_statistic (
    release_id  bigint NOT NULL REFERENCES release ON DELETE CASCADE,
    statistic   text NOT NULL,
    row_key     text NOT NULL,
    col_key     text NOT NULL,
    value       numeric,
    label       text NOT NULL,
    PRIMARY KEY (release_id, statistic, row_key, col_key)
);

CREATE TABLE release_audit (
    release_id      bigint NOT NULL REFERENCES release ON DELETE CASCADE,
    figure          text NOT NULL,
    row_key         text NOT NULL,
    col_key         text NOT NULL,
    cell            text NOT NULL,     -- the model's cell: one cell may appear in many figures
    status          text NOT NULL CHECK (status IN ('primary', 'complementary')),
    true_value      integer NOT NULL,
    label_low       integer NOT NULL,
    label_high      integer,           -- NULL: no upper bound ('suppressed')
    lp_low          numeric NOT NULL,
    lp_high         numeric,           -- NULL: unbounded
    protection_level integer NOT NULL,
    passed          boolean NOT NULL,
    PRIMARY KEY (release_id, figure, row_key, col_key),
    FOREIGN KEY (release_id, figure, row_key, col_key) REFERENCES release_figure ON DELETE CASCADE
);

CREATE TABLE census_day (
    day       date PRIMARY KEY,
    active    integer NOT NULL,
    pending   integer NOT NULL,
    overdue   integer NOT NULL,
    capacity  integer NOT NULL
);

CREATE TABLE census_week (
    week       date PRIMARY KEY,          -- Monday; the first and last weeks may be partial
    days       integer NOT NULL,
    referrals  integer NOT NULL,
    intakes    integer NOT NULL,
    exits      integer NOT NULL
);

INSERT INTO program_setting (key, effective_from, value, note) VALUES
    ('protection_level', DATE '1900-01-01', 3,
     'Releases: a hidden count must stay uncertain by at least this many people each way')
ON CONFLICT DO NOTHING;

GRANT SELECT ON release, release_figure, release_statistic, census_day, census_week
    TO lead_command, lead_leadership, lead_case_manager, lead_admin;
GRANT SELECT ON release_audit TO lead_admin;
