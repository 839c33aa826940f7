-- The settings the training page uses, in force on a day: expiry warning days, small-cell threshold, trained-officer target.
SELECT setting_on('training_expiry_warning_days', %(day)s::date)::integer AS warning_days,
       setting_on('small_cell_threshold', %(day)s::date)::integer AS small_cell_threshold,
       setting_on('trained_officers_target', %(day)s::date)::integer AS target
