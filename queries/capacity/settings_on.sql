-- The settings the capacity page uses, in force on a day: capacity, intake window, caseload flag and breach, small-cell threshold.
SELECT setting_on('capacity', %(day)s::date)::integer AS capacity,
       setting_on('intake_window_days', %(day)s::date)::integer AS intake_window_days,
       setting_on('caseload_flag', %(day)s::date)::integer AS caseload_flag,
       setting_on('caseload_breach', %(day)s::date)::integer AS caseload_breach,
       setting_on('small_cell_threshold', %(day)s::date)::integer AS small_cell_threshold
