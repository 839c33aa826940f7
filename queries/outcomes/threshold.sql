-- The small-cell threshold in force on a day: counts from 1 to it are hidden.
SELECT setting_on('small_cell_threshold', %(day)s::date)::integer AS threshold
