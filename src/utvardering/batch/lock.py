"""A lock on the output folder, so that two runs cannot interleave their writes."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from pathlib import Path

from utvardering.errors import ReportError

__all__ = ["OutputLock"]


class OutputLock:
    """An exclusive lock on ``folder/.las`` for the life of a run (released on exit).

    The second run refuses at once with a message that names the run holding the lock; the
    operating system releases the lock when a process ends, also after a crash.
    """

    def __init__(self, folder: Path):
        self.path = Path(folder) / ".las"
        self._handle = None

    def __enter__(self) -> OutputLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "okänd process"
            handle.close()
            raise ReportError(
                f"En annan körning använder redan utdatamappen {self.path.parent} ({holder}). "
                "Vänta tills den är klar, eller välj en annan mapp med --utdata."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(
            f"pid {os.getpid()}, startad {dt.datetime.now().isoformat(timespec='seconds')}"
        )
        handle.flush()
        self._handle = handle
        return self

    def __exit__(self, *exc) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None
