-- Delete the demo accounts; returns their user names.
DELETE FROM app_account WHERE is_demo
RETURNING username
