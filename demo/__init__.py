"""Demo data: a deterministic, realistic three-year LEAD pilot loaded through the importer.

    python -m demo [--end-date YYYY-MM-DD] [--seed N] [--if-empty]

Every id starts with ``demo-`` so demo rows are told apart from imported real data.
"""

ID_PREFIX = "demo-"
