-- Contacts map (issue 3): planner statistics on the groupings of the "when" charts.
--
-- The hour x weekday grid and the weekly trend group ~650k contacts (pilot to date)
-- into 168 slots or ~200 weeks, but without statistics on those expressions the
-- planner expects one group per contact: it sorts every row (spilling to disk) instead
-- of hashing, runs in one process, and the inflated cost switches JIT compilation on.
-- Expression statistics (PostgreSQL 14+) give it the real number of groups, so both
-- queries become a parallel hash aggregate. The expressions are exactly those of
-- queries/contacts/when.sql and weekly.sql over contact.local_time (0012).
-- (0012 was already applied by other databases when this was found, so it is a new file.)

CREATE STATISTICS contact_local_weekday_hour
    ON (extract(isodow FROM local_time)::integer), (extract(hour FROM local_time)::integer)
    FROM contact;
CREATE STATISTICS contact_local_week ON (date_trunc('week', local_time)::date) FROM contact;

ANALYZE contact;
