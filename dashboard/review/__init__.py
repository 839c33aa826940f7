"""Review page: ``page`` draws, ``data`` loads the Review (``program.review``) that the
page, its CSVs and its PDF (``dashboard.exports``, ``reports``) share."""
