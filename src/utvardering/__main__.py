"""``python -m utvardering``: the same as the ``utvardering`` command."""

import sys

from utvardering.cli import main

sys.exit(main())
