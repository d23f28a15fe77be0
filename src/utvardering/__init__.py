"""utvardering: reproducible report series for regional development evaluation in Sweden."""

from importlib.metadata import PackageNotFoundError, version

from utvardering.errors import UtvarderingError

try:
    __version__ = version("utvardering")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+okand"

__all__ = ["UtvarderingError", "__version__"]
