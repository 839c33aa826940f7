"""The import contract other agencies write to: ``python -m ingest <kind> <file>``.

See docs/data-formats.md for every kind's columns.
"""

from ingest.api import ImportResult, Rejection, import_file
from ingest.areas import AreaOptions
from ingest.readers import UnusableFile

__all__ = ["AreaOptions", "ImportResult", "Rejection", "UnusableFile", "import_file"]
