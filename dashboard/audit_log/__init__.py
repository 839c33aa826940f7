"""Audit log page (admins): ``page`` draws, ``data`` searches the log."""
