"""Legal clock page: the due list of arrest diversions, and the prosecutor liaison's slice."""
