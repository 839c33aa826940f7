-- The settings a release set is protected with, in force on the as-of date: small-cell threshold and protection level.
SELECT setting_on('small_cell_threshold', %(day)s::date)::integer AS threshold,
       coalesce(setting_on('protection_level', %(day)s::date), 3)::integer AS protection_level
