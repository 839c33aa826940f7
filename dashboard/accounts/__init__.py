"""Accounts page (admins): ``page`` draws, ``data`` reads the account list."""
