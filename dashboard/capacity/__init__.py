"""Program capacity page: ``page`` draws, ``data`` reads (and simulates the forecast),
``tiles`` and ``charts`` show; the rules are in ``program.capacity``."""
