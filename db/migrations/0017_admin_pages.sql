-- Admin pages (issue 17): batches that can be rolled back, and the last administrator.
--
-- import_batch: a batch that only inserted rows may be undone (ingest.api.rollback_batch
-- deletes the rows it inserted); it then keeps its counts and rejections, with status
-- 'rolled_back' and who undid it when. Updated rows cannot be undone: their earlier
-- values are not kept.
--
-- app_account: no statement may leave the accounts without an enabled administrator when
-- it disabled, demoted or deleted one (demo accounts may still be deleted: they go with
-- the demo data). Checked after each statement, under a transaction-level advisory lock
-- so that two admins disabling each other at the same time cannot both succeed. The
-- error's SQLSTATE 'LA001' is what accounts.store turns into a plain message.

ALTER TABLE import_batch DROP CONSTRAINT import_batch_status_check;
ALTER TABLE import_batch ADD CONSTRAINT import_batch_status_check
    CHECK (status IN ('running', 'loaded', 'rejected', 'rolled_back'));
ALTER TABLE import_batch ADD COLUMN rolled_back_at timestamptz;
ALTER TABLE import_batch ADD COLUMN rolled_back_by text;

CREATE FUNCTION app_account_keep_an_admin() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM old_rows
        WHERE role = 'admin' AND NOT disabled AND NOT (TG_OP = 'DELETE' AND is_demo)
    ) THEN
        RETURN NULL;
    END IF;
    PERFORM pg_advisory_xact_lock(4206017);
    IF NOT EXISTS (SELECT 1 FROM app_account WHERE role = 'admin' AND NOT disabled) THEN
        RAISE EXCEPTION 'the last enabled administrator cannot be disabled, demoted or removed'
            USING ERRCODE = 'LA001',
                  HINT = 'Make another account an enabled administrator first.';
    END IF;
    RETURN NULL;
END $$;

-- Transition tables allow one event per trigger: one for UPDATE, one for DELETE.
CREATE TRIGGER app_account_keep_an_admin_on_update
    AFTER UPDATE ON app_account REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION app_account_keep_an_admin();
CREATE TRIGGER app_account_keep_an_admin_on_delete
    AFTER DELETE ON app_account REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION app_account_keep_an_admin();
