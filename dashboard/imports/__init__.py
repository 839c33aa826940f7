"""Imports page (admins): ``page`` draws, ``sections`` holds its parts, ``data`` checks,
loads and rolls back files through ``ingest.api``."""
