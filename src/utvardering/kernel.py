"""A Jupyter kernel that runs on the interpreter running utvardering.

Notebooks must execute with the same Python (and so the same installed packages) as the
command that starts them, also when its virtual environment is not activated and another
``python3`` kernel is installed on the machine. :func:`kernel_name` writes a kernel spec whose
command is ``sys.executable`` to a folder of its own and puts that folder first on Jupyter's
search path for this process and the kernels it starts.
"""

from __future__ import annotations

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
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

__all__ = [
    "KernelStarter",
    "KernelTemplate",
    "die_with_parent",
    "kernel_manager_class",
    "kernel_name",
]

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
    # No IPython history database: a batch kernel is never asked for its history, and parallel
    # kernels writing one SQLite file wait for each other's locks.
    argv = [
        sys.executable, "-m", "utvardering.kernel_launcher", "-f", "{connection_file}",
        "--HistoryManager.enabled=False",
    ]  # fmt: skip
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


class _ForkedProcess:
    """A kernel forked by the template, with the part of :class:`subprocess.Popen` that
    jupyter_client uses. The template reaps its children at once, so a kernel that has ended
    no longer exists; its exit code is not known (0, or the signal this object sent)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        import psutil

        self.pid = pid
        self.returncode: int | None = None
        self._signal: int | None = None
        try:
            self._process: Any = psutil.Process(pid)
        except psutil.Error:
            self._process = None
            self.returncode = 0

    def poll(self) -> int | None:
        """None while the kernel runs. A kernel whose template has died is reparented and may
        linger as a zombie until it is reaped: that is an ended kernel too."""
        import psutil

        if self.returncode is None:
            try:
                running = self._process.is_running()  # also False if the pid was reused
                running = running and self._process.status() != psutil.STATUS_ZOMBIE
            except psutil.Error:
                running = False
            if not running:
                self.returncode = -self._signal if self._signal else 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.02)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            self._signal = signum
            self._process.send_signal(signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class KernelTemplate:
    """A worker's kernel template (:mod:`utvardering.kernel_template`): a process that has
    imported what the report notebooks import and forks each kernel from itself.

    Started at once, in the background (its imports take a few seconds); :meth:`fork` waits
    for it. Where it cannot be used (no ``fork``, an import that fails), :attr:`reason` says
    why, once, in ``log``, and kernels start the plain way.
    """

    def __init__(self, log: Path | None = None):
        self._log = log
        self._lock = threading.Lock()
        self._ready: bool | None = None
        self.reason: str | None = None
        self.pid: int | None = None
        self.seconds: float | None = None
        self._process: subprocess.Popen | None = None
        if not hasattr(os, "fork"):
            self._fail("fork finns inte på den här plattformen")
            return
        stderr = subprocess.DEVNULL
        with contextlib.suppress(OSError):
            stderr = log.open("ab") if log is not None else subprocess.DEVNULL
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "utvardering.kernel_template"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                bufsize=1,
            )
        except OSError as exc:
            self._fail(f"kärnmallen kunde inte startas ({exc})")
        finally:
            if stderr is not subprocess.DEVNULL:
                stderr.close()

    def _fail(self, reason: str) -> None:
        self._ready, self.reason = False, reason
        self._note(
            f"Kärnorna startas utan kärnmall: {reason}. Varje notebook importerar sina "
            "bibliotek själv."
        )
        self.close()

    def _note(self, text: str) -> None:
        if self._log is None:
            return
        with contextlib.suppress(OSError), self._log.open("a", encoding="utf-8") as handle:
            handle.write(f"utvardering: {text}\n")

    def _answer(self) -> dict:
        assert self._process is not None and self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise OSError("kärnmallen avslutades")
        return json.loads(line)

    def ready(self) -> bool:
        """Whether kernels can be forked (waits for the template's imports)."""
        with self._lock:
            if self._ready is None:
                try:
                    first = self._answer()
                except (OSError, ValueError) as exc:
                    first = {"klar": False, "fel": str(exc)}
                if first.get("klar"):
                    self._ready, self.pid, self.seconds = True, first["pid"], first["sekunder"]
                else:
                    self._fail(str(first.get("fel")))
            return bool(self._ready)

    def fork(self, argv: list[str], env: dict[str, str], cwd: str, log: Path | None) -> int:
        """Fork a kernel that runs ``argv`` (the kernel spec's command) in ``cwd`` with
        ``env``; its pid. Raises OSError if the template cannot."""
        if not self.ready():
            raise OSError(f"ingen kärnmall: {self.reason}")
        request = {"argv": argv, "env": env, "cwd": str(cwd), "logg": str(log) if log else None}
        with self._lock:
            assert self._process is not None and self._process.stdin is not None
            try:
                self._process.stdin.write(json.dumps(request) + "\n")
                self._process.stdin.flush()
                answer = self._answer()
            except (OSError, ValueError) as exc:
                self._fail(f"kärnmallen svarar inte ({exc})")
                raise OSError(self.reason) from exc
        if "pid" not in answer:
            raise OSError(f"kärnmallen kunde inte starta kärnan: {answer.get('fel')}")
        return int(answer["pid"])

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(OSError):
            if process.stdin is not None:
                process.stdin.close()  # the template ends when its input closes
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        if process.stdout is not None:
            process.stdout.close()


def _fork_provisioner(template: KernelTemplate, log: Path | None):
    """jupyter_client's local provisioner, with the kernel forked from ``template``
    instead of started as a new program (which it falls back to if the template cannot)."""
    from jupyter_client.provisioning import LocalProvisioner

    class ForkProvisioner(LocalProvisioner):
        async def launch_kernel(self, cmd, **kwargs):
            env = kwargs.get("env") or dict(os.environ)
            cwd = kwargs.get("cwd") or os.getcwd()
            try:
                pid = template.fork(list(cmd), dict(env), str(cwd), log)
            except OSError:  # said once in the log by the template
                return await super().launch_kernel(cmd, **kwargs)
            self.process = _ForkedProcess(pid)
            self.pid = self.pgid = pid  # the kernel leads its own process group
            self.cwd = cwd
            return self.connection_info

    return ForkProvisioner


def kernel_manager_class(log: Path | None = None, template: KernelTemplate | None = None):
    """A kernel manager that talks to its kernel over Unix sockets instead of TCP ports.

    With TCP, kernels started at the same moment by parallel workers can pick the same free
    port, and one of them dies before it answers; socket files in a folder of their own cannot
    collide. With ``log``, the kernel's own output (its start-up and shutdown messages, and what
    it says if it crashes) goes to that file instead of the terminal. With ``template``, the
    kernel is forked from that :class:`KernelTemplate`. Imported lazily: only running
    notebooks needs jupyter_client.
    """
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            folder = Path(tempfile.gettempdir()) / f"utvardering-karnor-{os.getuid()}"
            folder.mkdir(mode=0o700, exist_ok=True)
            kwargs.setdefault("ip", str(folder / f"k{uuid.uuid4().hex[:12]}"))
            super().__init__(**kwargs)
            self._clients: list = []

        def client(self, **kwargs):
            # Kept, so that close_clients can stop them: nbclient leaves the channels of a
            # client it made for a kernel manager it was given running (their threads,
            # sockets and zmq context), one set per notebook.
            client = super().client(**kwargs)
            self._clients.append(client)
            return client

        def close_clients(self) -> None:
            """Stop the channels of every client of this kernel."""
            clients, self._clients = self._clients, []
            for client in clients:
                with contextlib.suppress(Exception):
                    client.stop_channels()

        async def _async_pre_start_kernel(self, **kwargs):
            if template is not None and self.provisioner is None:
                self.kernel_id = self.kernel_id or kwargs.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = _fork_provisioner(template, log)(
                    kernel_id=self.kernel_id,
                    kernel_spec=self.kernel_spec,
                    parent=self,
                )
            return await super()._async_pre_start_kernel(**kwargs)

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
    (see :func:`kernel_manager_class`); their own output goes to ``log``. With ``template``
    (the default), kernels are forked from a :class:`KernelTemplate`, so that a notebook
    starts with its imports done; where that cannot be, they start the plain way, and ``log``
    says why.
    """

    def __init__(self, log: Path | None = None, template: bool = True):
        self._log = log
        # Started here, in the thread that lives as long as the worker: on Linux the template
        # is killed when the thread that started it ends.
        self.template = KernelTemplate(log) if template else None
        self._threads = ThreadPoolExecutor(max_workers=1)
        self._next = None
        atexit.register(self.close)

    def _start(self):
        import asyncio  # where a kernel starts: the command line starts without it

        async def start():
            manager_class = kernel_manager_class(log=self._log, template=self.template)
            manager = manager_class(kernel_name=kernel_name())
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
        import asyncio

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
        import asyncio

        with contextlib.suppress(Exception):  # already gone
            asyncio.run(manager.shutdown_kernel(now=True))
        with contextlib.suppress(Exception):
            manager.close_clients()

    def close(self) -> None:
        """Shut down the kernel started ahead (at the end of the worker's life)."""
        pending, self._next = self._next, None
        if pending is not None:
            with contextlib.suppress(Exception):
                self.stop(pending.result(timeout=60))
        self._threads.shutdown(wait=False)
        if self.template is not None:
            self.template.close()
