"""Start ipykernel's kernel so that it ends with the process that started it.

The kernel spec of :func:`utvardering.kernel.kernel_name` runs ``python -m
utvardering.kernel_launcher`` in place of ``ipykernel_launcher``. On Linux the kernel is killed
by the operating system the moment its parent (a batch worker, or the command) ends, also after
``kill -9``, so it cannot go on writing into an output folder whose run is over; elsewhere
ipykernel's own poller of the parent process ends it.
"""

from __future__ import annotations

import os
import sys

from utvardering.kernel import die_with_parent


def main() -> None:
    parent = os.environ.get("JPY_PARENT_PID", "")
    die_with_parent(int(parent) if parent.isdigit() else None)
    if sys.path and sys.path[0] == "":  # as ipykernel_launcher: not the kernel's cwd
        del sys.path[0]
    # imported after the path is set, as ipykernel_launcher does
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
