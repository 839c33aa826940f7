"""Overview page: ``page`` draws, ``data`` reads the figures, ``tiles`` words them."""
