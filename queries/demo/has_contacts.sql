-- Does the database hold any contact at all?
SELECT EXISTS (SELECT 1 FROM contact)
