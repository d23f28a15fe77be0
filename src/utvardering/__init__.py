"""utvardering: reproducible report series for regional development evaluation in Sweden."""

from utvardering.errors import UtvarderingError
from utvardering.versions import installed_version

# None: running from a source tree that is not installed
__version__ = installed_version("utvardering") or "0+okand"

__all__ = ["UtvarderingError", "__version__"]
