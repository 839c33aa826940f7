"""Program logic that is neither geometry nor presentation: review figures, forecasts."""
