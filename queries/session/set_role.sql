-- Run the rest of this transaction as the database role of the signed-in user's role.
SELECT set_config('role', %(db_role)s::text, true)
