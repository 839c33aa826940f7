-- The settings the capacity page uses, in force on a day: capacity, intake window, caseload flag, breach and targets, in-the-wind days, warm-handoff target, small-cell threshold.
SELECT setting_on('capacity', %(day)s::date)::integer AS capacity,
       setting_on('intake_window_days', %(day)s::date)::integer AS intake_window_days,
       setting_on('caseload_flag', %(day)s::date)::integer AS caseload_flag,
       setting_on('caseload_breach', %(day)s::date)::integer AS caseload_breach,
       setting_on('caseload_target_low', %(day)s::date)::integer AS caseload_target_low,
       setting_on('caseload_target_high', %(day)s::date)::integer AS caseload_target_high,
       setting_on('caseload_average_max', %(day)s::date)::integer AS caseload_average_max,
       setting_on('in_the_wind_days', %(day)s::date)::integer AS in_the_wind_days,
       setting_on('warm_handoff_target_minutes', %(day)s::date)::integer
           AS warm_handoff_target_minutes,
       setting_on('small_cell_threshold', %(day)s::date)::integer AS small_cell_threshold
