"""Settings page (admins): ``page`` draws, ``data`` reads settings and records a change."""
