-- Settings the contacts map uses, in force on a day: the ring width and the small-cell threshold.
SELECT setting_on('catchment_ring_m', %(day)s::date) AS ring_m,
       setting_on('small_cell_threshold', %(day)s::date)::integer AS small_cell_threshold
