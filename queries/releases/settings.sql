-- The settings a release set is computed and protected with, in force on the as-of date: small-cell threshold, protection level and the cost window (days before and after intake).
SELECT setting_on('small_cell_threshold', %(day)s::date)::integer AS threshold,
       coalesce(setting_on('protection_level', %(day)s::date), 3)::integer AS protection_level,
       coalesce(setting_on('cost_window_days', %(day)s::date), 365)::integer AS cost_window
