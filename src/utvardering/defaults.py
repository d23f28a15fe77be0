"""Defaults shared by the command line, the batch and the data layer, in a module that
imports nothing heavy: `utvardering kor` with nothing to do never loads pandas."""

from __future__ import annotations

from pathlib import Path

__all__ = ["CACHE_ENV", "DEFAULT_DATA_DIR", "TABLE_SUFFIXES"]

# The shipped data folder of a checkout; commands default to ./data in the working directory.
DEFAULT_DATA_DIR = Path("data")

# The folder of the validated-data cache (see utvardering.dataset), set by the batch for its
# workers' kernels.
CACHE_ENV = "UTVARDERING_CACHE"

# The file endings a table may have, in order of preference.
TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".csv.gz", ".xlsx")
