"""Officer training page: ``page`` draws, ``data`` reads, ``tiles``, ``charts`` and
``mapping`` show; coverage rules and tables are in ``program.training``."""
