"""A lock on the output folder, so that two runs cannot interleave their writes."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
from pathlib import Path

from utvardering.errors import ReportError, describe_os_error

__all__ = ["OutputLock"]


class OutputLock:
    """An exclusive lock on ``folder/.las`` for the life of a run (released on exit).

    The second run refuses at once with a message that names the run holding the lock; the
    operating system releases the lock when a process ends, also after a crash. The lock file
    is removed when the lock is released (while it is still held, so that a run that opened
    the old file notices it is gone and opens the new one).
    """

    def __init__(self, folder: Path):
        self.path = Path(folder) / ".las"
        self._handle = None

    def __enter__(self) -> OutputLock:
        while True:
            handle = self._open()
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read(200).strip() or "okänd process"
                handle.close()
                raise ReportError(
                    f"En annan körning använder redan utdatamappen {self.path.parent} "
                    f"({holder}). Vänta tills den är klar, eller välj en annan mapp med "
                    "--utdata."
                ) from None
            if self._is_current(handle):
                break
            handle.close()  # removed by the run that held it: lock the new file
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(
                f"pid {os.getpid()}, startad {dt.datetime.now().isoformat(timespec='seconds')}"
            )
            handle.flush()
        except OSError:  # the lock holds all the same; the note is only for people
            pass
        self._handle = handle
        return self

    def _open(self):
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return self.path.open("a+", encoding="utf-8", errors="replace")
        except OSError as exc:
            raise ReportError(
                f"Utdatamappen kan inte låsas: kunde inte skriva {self.path}: "
                f"{describe_os_error(exc)}."
            ) from exc

    def _is_current(self, handle) -> bool:
        try:
            return os.stat(self.path).st_ino == os.fstat(handle.fileno()).st_ino
        except FileNotFoundError:
            return False

    def __exit__(self, *exc) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None
