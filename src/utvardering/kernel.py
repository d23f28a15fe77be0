"""A Jupyter kernel that runs on the interpreter running utvardering.

Notebooks must execute with the same Python (and so the same installed packages) as the
command that starts them, also when its virtual environment is not activated and another
``python3`` kernel is installed on the machine. :func:`kernel_name` writes a kernel spec whose
command is ``sys.executable`` to a folder of its own and puts that folder first on Jupyter's
search path for this process and the kernels it starts.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import ctypes
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

__all__ = ["KernelStarter", "die_with_parent", "kernel_manager_class", "kernel_name"]

_PREFIX = "utvardering-py"
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """Have this process killed when the process that started it ends (Linux; elsewhere a
    no-op, and callers poll ``os.getppid()``). With ``parent``, end at once if it has already
    gone (the parent-death signal only covers a parent that ends after this call)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the caller's poller is the fallback
            pass
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def kernel_name() -> str:
    """The name of a kernel spec that starts ``sys.executable -m utvardering.kernel_launcher``
    (ipykernel's kernel, which ends when the process that started it ends)."""
    argv = [sys.executable, "-m", "utvardering.kernel_launcher", "-f", "{connection_file}"]
    digest = hashlib.sha256(json.dumps(argv).encode()).hexdigest()[:10]
    name = f"{_PREFIX}-{digest}"
    root = Path(tempfile.gettempdir()) / f"utvardering-jupyter-{digest}"
    spec_dir = root / "kernels" / name
    spec = {
        "argv": argv,
        "display_name": f"utvardering ({sys.executable})",
        "language": "python",
        "metadata": {"debugger": False},
    }
    text = json.dumps(spec, indent=1)
    spec_file = spec_dir / "kernel.json"
    if not spec_file.is_file() or spec_file.read_text() != text:
        spec_dir.mkdir(parents=True, exist_ok=True)
        # Write then rename, so that a parallel process never reads a half-written spec.
        tmp = spec_dir / f"kernel.json.{os.getpid()}.tmp"
        tmp.write_text(text)
        tmp.replace(spec_file)
    paths = os.environ.get("JUPYTER_PATH", "")
    if str(root) not in paths.split(os.pathsep):
        os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(root), paths) if p)
    return name


def kernel_manager_class(log: Path | None = None):
    """A kernel manager that talks to its kernel over Unix sockets instead of TCP ports.

    With TCP, kernels started at the same moment by parallel workers can pick the same free
    port, and one of them dies before it answers; socket files in a folder of their own cannot
    collide. With ``log``, the kernel's own output (its start-up and shutdown messages, and what
    it says if it crashes) goes to that file instead of the terminal. Imported lazily: only
    running notebooks needs jupyter_client.
    """
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            folder = Path(tempfile.gettempdir()) / f"utvardering-karnor-{os.getuid()}"
            folder.mkdir(mode=0o700, exist_ok=True)
            kwargs.setdefault("ip", str(folder / f"k{uuid.uuid4().hex[:12]}"))
            super().__init__(**kwargs)

        async def _async_start_kernel(self, **kwargs):
            handle = None
            if log is not None:
                try:
                    handle = log.open("ab")
                except OSError:  # a log that cannot be written must not stop the notebook
                    kwargs.setdefault("stdout", subprocess.DEVNULL)
                    kwargs.setdefault("stderr", subprocess.DEVNULL)
            if handle is None:
                return await super()._async_start_kernel(**kwargs)
            with handle:
                kwargs.setdefault("stdout", handle)
                kwargs.setdefault("stderr", handle)
                return await super()._async_start_kernel(**kwargs)

        start_kernel = _async_start_kernel

    return IPCKernelManager


class KernelStarter:
    """Keeps one kernel started ahead, so that the next notebook does not wait for start-up.

    ``take()`` returns a kernel that has run nothing (a fresh kernel, only moved to the job's
    folder) and at once starts the next one in a background thread, while the notebook runs.
    The caller shuts the kernel it took down with :meth:`stop`. Kernels talk over Unix sockets
    (see :func:`kernel_manager_class`); their own output goes to ``log``.
    """

    def __init__(self, log: Path | None = None):
        self._log = log
        self._threads = ThreadPoolExecutor(max_workers=1)
        self._next = None
        atexit.register(self.close)

    def _start(self):
        async def start():
            manager = kernel_manager_class(log=self._log)(kernel_name=kernel_name())
            await manager.start_kernel()
            client = manager.client()
            client.start_channels()
            try:
                await client.wait_for_ready(timeout=60)
            finally:
                client.stop_channels()
            return manager

        return asyncio.run(start())

    def take(self, cwd: Path):
        """A started kernel whose working folder is ``cwd``."""
        manager = None
        if self._next is not None:
            try:
                manager = self._next.result()
                if not asyncio.run(manager.is_alive()):
                    manager = None
            except Exception:  # a kernel that failed to start: start another below
                manager = None
        if manager is None:
            manager = self._start()
        self._next = self._threads.submit(self._start)

        async def move():
            client = manager.client()
            client.start_channels()
            try:
                await client.execute_interactive(
                    f"import os as _os; _os.chdir({str(cwd)!r}); del _os",
                    silent=True, store_history=False, timeout=30,
                )  # fmt: skip
            finally:
                client.stop_channels()

        asyncio.run(move())
        return manager

    @staticmethod
    def stop(manager) -> None:
        """Shut a kernel down at once (its notebook is finished or has failed)."""
        with contextlib.suppress(Exception):  # already gone
            asyncio.run(manager.shutdown_kernel(now=True))

    def close(self) -> None:
        """Shut down the kernel started ahead (at the end of the worker's life)."""
        pending, self._next = self._next, None
        if pending is not None:
            with contextlib.suppress(Exception):
                self.stop(pending.result(timeout=60))
        self._threads.shutdown(wait=False)
