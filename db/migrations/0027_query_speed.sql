-- Whole-pilot page queries at 1M contacts (issue 18).
--
-- 1. No JIT compilation. PostgreSQL compiles a statement with
-- LLVM once its estimated cost passes jit_above_cost; the whole-pilot page queries pass it
-- on their (large, often pessimistic) estimates and then spent 0.5-5 s compiling before
-- running for 0.1-1 s: at 1M contacts home/contacts_two_periods took 5.3 s with JIT and
-- 0.43 s without, training/coverage_monthly spent 3.1 s of its time in JIT. The dashboard
-- runs short, repeated reads, the workload JIT does not pay off on, so this database has
-- it off for every new session (the pool's, imports', the bench's).
-- ALTER DATABASE needs the database's owner (the schema owner here); a deployment whose
-- migrating login does not own the database is told to set it there by hand.
DO $$
DECLARE
    owner oid := (SELECT datdba FROM pg_database WHERE datname = current_database());
BEGIN
    IF pg_has_role(current_user, owner, 'MEMBER') THEN
        EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
    ELSE
        RAISE WARNING 'jit stays as configured: run ALTER DATABASE % SET jit = off as its owner',
            quote_ident(current_database());
    END IF;
END
$$;

-- 2. Each intake's demographics (outcome_equity_engagement, db/functions/outcomes.sql)
-- are read from its person's contacts: with the columns it reads in the person/time
-- index it is an index-only scan instead of one heap page per contact (17,000 intakes x
-- 14 contacts at 1M; 8.0 -> 3.2 s at load 12). The same index serves the re-contact
-- lookups (person, time), so it replaces 0011's instead of adding a second one.
CREATE INDEX contact_person_time_cover_idx
    ON contact (person_key, occurred_at) INCLUDE (contact_id, race, sex, age);
DROP INDEX contact_person_time_idx;
