"""The status of a job of a batch run, as written in manifests, ``status.json`` and the site.

The values are the Swedish words the files have always held, so a run folder written before
this enum existed reads the same. :class:`JobStatus` is a ``StrEnum``: ``JobStatus.KLAR ==
"klar"``, and ``json`` writes it as the plain string.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["JobStatus"]


class JobStatus(StrEnum):
    """A job's status: what happened to one notebook of a run."""

    KLAR = "klar"  # ran now, without error
    OFORANDRAD = "oforandrad"  # skipped: inputs unchanged since a run that succeeded
    MISSLYCKAD = "misslyckad"  # ran and failed (an error in a cell, a timeout, a dead kernel)
    AVBRUTEN = "avbruten"  # stopped by Ctrl-C or SIGTERM before it finished
    SAKNAS = "saknas"  # not run in this output folder

    @property
    def label(self) -> str:
        """The Swedish label shown to users."""
        return _LABELS[self]

    @property
    def succeeded(self) -> bool:
        """The job's files are there and current (ran now, or unchanged since it did)."""
        return self in (JobStatus.KLAR, JobStatus.OFORANDRAD)


_LABELS = {
    JobStatus.KLAR: "klar",
    JobStatus.OFORANDRAD: "oförändrad (hoppades över)",
    JobStatus.MISSLYCKAD: "MISSLYCKAD",
    JobStatus.AVBRUTEN: "avbruten",
    JobStatus.SAKNAS: "saknas",
}
