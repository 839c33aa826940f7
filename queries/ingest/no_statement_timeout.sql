-- Lift the session's statement timeout until the import's transaction ends.
SELECT set_config('statement_timeout', '0', true)
