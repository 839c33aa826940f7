-- How many enabled admin accounts exist (none: the first one has to be created).
SELECT count(*) AS admins FROM app_account WHERE role = 'admin' AND NOT disabled
