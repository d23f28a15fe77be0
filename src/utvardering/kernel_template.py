"""The kernel template (kärnmall): a process that has imported what the report notebooks
import, and forks each notebook's kernel from itself.

A batch worker starts one template (``python -m utvardering.kernel_template``) and asks it,
over its standard input and output, for kernels. The template imports pandas, matplotlib,
statsmodels, ipykernel and this package's report types once, and nothing else: it opens no
socket, starts no thread and runs no notebook code. For each request it forks a child that
becomes an ipykernel kernel for the request's connection file, in the request's working folder
and environment. Every notebook so runs in a process of its own that no other notebook has
touched (a fork of the untouched template), with the imports already done.

The protocol is one JSON object per line. The template first writes ``{"klar": true, "pid":
..., "sekunder": ...}`` (or ``{"klar": false, "fel": ...}`` if it cannot fork); then for each
request ``{"argv": [...], "env": {...}, "cwd": "...", "logg": path or null}`` it answers
``{"pid": ...}`` or ``{"fel": "..."}``. It ends when its standard input closes, and with the
process that started it.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import sys
import threading
import time
import traceback
from typing import Any

from utvardering import registry
from utvardering.kernel import die_with_parent

__all__ = ["TEMPLATE_MODULES", "main"]

# What the report notebooks import (their first cell imports the dataset and the registry,
# whose report types import the rest), and what a kernel imports to start.
TEMPLATE_MODULES = (
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "statsmodels.api",
    "great_tables",
    "utvardering.dataset",
    "utvardering.registry",
    "utvardering.tables",
    "IPython",
    "ipykernel.ipkernel",
    "ipykernel.kernelapp",
    "ipykernel.debugger",  # ipykernel imports debugpy (about 0.9 s) in every new kernel
    "matplotlib_inline.backend_inline",
)

# The command line of the kernel spec (see utvardering.kernel.kernel_name) after the
# interpreter: the template starts these kernels, and only these.
LAUNCHER = ("-m", "utvardering.kernel_launcher")


def _prepare() -> float:
    """Import the modules of :data:`TEMPLATE_MODULES` and load the report types."""
    start = time.perf_counter()
    # As ipykernel does when a kernel starts, before matplotlib is imported (matplotlib reads
    # its backend from the environment when it is imported).
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for name in TEMPLATE_MODULES:
        importlib.import_module(name)
    registry.report_types()  # imports every report package
    return time.perf_counter() - start


def _write(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _redirect(log: str | None) -> None:
    """The child's standard streams: no input; output to ``log`` (or nowhere)."""
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    target = null
    if log:
        try:
            target = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError:
            target = null
    os.dup2(target, 1)
    os.dup2(target, 2)
    for fd in {null, target}:
        if fd > 2:
            os.close(fd)


def _become_kernel(request: dict[str, Any], template: int) -> None:
    """In the forked child: turn into the kernel the request asks for. Never returns."""
    code = 1
    try:
        os.setsid()  # its own process group, as jupyter_client starts kernels
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        die_with_parent(template)
        _redirect(request.get("logg"))
        env = dict(request["env"])
        # ipykernel ends when this process's parent changes: the parent is the template
        env["JPY_PARENT_PID"] = str(template)
        os.environ.clear()
        os.environ.update(env)
        os.chdir(request["cwd"])
        # ipykernel reads its parent from the environment when it is imported (in the
        # template); it is told here instead
        args = [*request["argv"][1 + len(LAUNCHER) :], f"--IPKernelApp.parent_handle={template}"]
        sys.argv = [request["argv"][0], *args]
        if sys.path and sys.path[0] == "":  # as the launcher: not the kernel's folder
            del sys.path[0]
        import numpy

        numpy.random.seed()  # a fresh process draws a fresh seed (Python's random reseeds itself)
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _serve(template: int) -> None:
    for line in sys.stdin:
        try:
            request = json.loads(line)
            argv = request["argv"]
            if tuple(argv[1 : 1 + len(LAUNCHER)]) != LAUNCHER:
                raise ValueError(f"kärnmallen startar bara {' '.join(LAUNCHER)}, inte {argv}")
            if not os.path.isdir(request["cwd"]):
                raise ValueError(f"mappen {request['cwd']} finns inte")
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            _write({"fel": f"{type(exc).__name__}: {exc}"})
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _become_kernel(request, template)
        _write({"pid": pid})


def main() -> None:
    parent = os.getppid()
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch's business
    # Children are reaped at once: a kernel that has ended is gone, never a zombie.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    if not hasattr(os, "fork"):
        _write({"klar": False, "fel": "fork finns inte på den här plattformen"})
        return
    try:
        seconds = _prepare()
    except Exception as exc:  # a module that cannot be imported: plain kernels do the same
        _write({"klar": False, "fel": f"importen misslyckades ({type(exc).__name__}: {exc})"})
        return
    if threading.active_count() != 1:
        # A process with threads cannot be forked safely: the lock a thread holds stays held.
        names = ", ".join(t.name for t in threading.enumerate())
        _write({"klar": False, "fel": f"importerna startade trådar ({names})"})
        return
    _write({"klar": True, "pid": os.getpid(), "sekunder": round(seconds, 2)})
    _serve(os.getpid())


if __name__ == "__main__":
    main()
