-- Indexes the benchmark showed to pay off at scale (README "Benchmarks", bench/results).
--
-- contact (person_key, occurred_at): "did this person have a police contact between two
-- dates" (outcome_recontact in db/functions/outcomes.sql, and every per-person look-up
-- by time) becomes one index range probe per person, instead of a bitmap scan over all of
-- the person's contacts with a heap visit each: outcomes/recontact 706 ms -> 305 ms (p50)
-- at 1M contacts. The single-column contact_person_key_idx is now redundant with it.
CREATE INDEX IF NOT EXISTS contact_person_time_idx ON contact (person_key, occurred_at);
