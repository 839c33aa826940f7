-- Hold off imports while a batch is rolled back (imports insert into import_batch).
LOCK TABLE import_batch IN SHARE ROW EXCLUSIVE MODE
